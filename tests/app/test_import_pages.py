"""Importing from the web (/admin/import, admins): upload, mapping with a preview, the dry run's report, then the
import with its progress shown as it goes; each refusal is a French message that keeps the form."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from kb.models import Organisation
from tests.app.test_imports import DATA_INCLUSION
from tests.conftest import csrf_token


def upload(client, data: bytes, name: str = "structures.csv", source: str = ""):
    token = csrf_token(client, "/admin/import/")
    return client.post("/admin/import/", data={"csrf_token": token, "source": source,
                                               "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def hidden(html: str) -> dict[str, str]:
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields.update(re.findall(r'<select id="(map-\d+)" name="map-\d+">.*?<option value="(\w*)" selected>', html, re.S))
    return fields


def test_an_admin_imports_a_data_inclusion_file_from_the_page(client, session, sign_in):
    sign_in("admin")
    mapping = upload(client, "\n".join(DATA_INCLUSION).encode("cp1252", errors="replace"))
    page = mapping.get_data(as_text=True)
    assert mapping.status_code == 200 and "7 lignes (CSV, windows-1252, séparateur « ; »)" in page
    assert '<option value="external_id" selected>' in page and "Centre social Saint-Gabriel" in page
    form = hidden(page)
    trial = client.post("/admin/import/essai", data=form)
    report = trial.get_data(as_text=True)
    assert "Essai (rien n&#39;est enregistré) : 5 ajoutée" in report and "hors de France" in report
    assert session.exec(select(Organisation)).all() == []
    run = client.post("/admin/import/importer", data=hidden(report))
    assert run.is_streamed
    done = run.get_data(as_text=True)
    assert "7 / 7 lignes enregistrées" in done and "Import : 5 ajoutée" in done
    assert '<progress value="7" max="7">100 %</progress>' in done  # the bar, full (one per batch, the last shown)
    session.expire_all()
    assert len(session.exec(select(Organisation)).all()) == 5
    again = client.post("/admin/import/importer", data=hidden(report))  # the file was consumed
    assert again.status_code == 410


def test_refusals_are_explained_and_non_admins_are_kept_out(client, session, sign_in):
    sign_in("formateur")
    assert client.get("/admin/import/").status_code == 403
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    sign_in("admin")
    refused = upload(client, b"\x00\x01PK", "faux.xlsx")
    assert refused.status_code == 422 and "ne correspond pas à son extension" in refused.get_data(as_text=True)
    nameless = upload(client, b"commune;code postal\nArles;13200\n")
    form = hidden(nameless.get_data(as_text=True))
    no_name = client.post("/admin/import/essai", data=form)
    assert no_name.status_code == 422 and "la colonne qui donne le nom" in no_name.get_data(as_text=True)
    forged = client.post("/admin/import/essai", data={**form, "key": "../../etc/passwd"})
    assert forged.status_code == 400


def test_practitioners_are_imported_from_the_page_and_stay_unlisted(client, session, sign_in):
    from kb.models import Practitioner
    from tests.app.test_imports import PEOPLE

    sign_in("admin")
    token = csrf_token(client, "/admin/import/")
    mapping = client.post("/admin/import/", data={"csrf_token": token, "kind": "intervenants", "source": "rh",
                                                  "file": (io.BytesIO("\n".join(PEOPLE).encode()), "personnes.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Des intervenant·es : 5 lignes" in mapping and '<option value="last_name" selected>' in mapping
    report = client.post("/admin/import/essai", data=hidden(mapping)).get_data(as_text=True)
    assert "non listée dans l&#39;annuaire" in report
    done = client.post("/admin/import/importer", data=hidden(report)).get_data(as_text=True)
    assert "Import : 3 ajoutée" in done
    people = session.exec(select(Practitioner)).all()
    assert len(people) == 3 and not any(p.consent_listed for p in people)


def test_actions_are_imported_from_the_page(client, session, sign_in):
    from kb.models import FieldAction

    sign_in("admin")
    text = "titre;résumé;mode;commune\nMarche exploratoire;Des habitantes repèrent les lieux à réaménager.;dsl;Arles\n"
    token = csrf_token(client, "/admin/import/")
    mapping = client.post("/admin/import/", data={"csrf_token": token, "kind": "actions",
                                                  "file": (io.BytesIO(text.encode()), "actions.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    report = client.post("/admin/import/essai", data=hidden(mapping)).get_data(as_text=True)
    assert "1 ajoutée" in report and session.exec(select(FieldAction)).all() == []
    done = client.post("/admin/import/importer", data=hidden(report)).get_data(as_text=True)
    assert "Import : 1 ajoutée" in done
    action = session.exec(select(FieldAction)).one()
    assert (action.title, action.mode, action.commune.name, action.publication_status) == (
        "Marche exploratoire", "dsl", "Arles", "publiee")

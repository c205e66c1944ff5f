"""The tools library: proposing a tool with its file, moderation, versions, downloads, search in file text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlmodel import select

from kb import indexing
from kb.documents import html_to_pdf
from kb.models import Tool, ToolFile
from kb.services import privacy
from tests.conftest import csrf_token, login

GRID = html_to_pdf("<html lang='fr'><body><p>Grille des freins institutionnels et des leviers</p></body></html>")


def tool_form(client, url: str, data: bytes | None = GRID, filename: str = "grille-freins.pdf", **fields):
    payload = {"csrf_token": csrf_token(client, url), "title": "Grille des freins", "kind": "grille",
               "description": "Une grille pour repérer les freins avec les équipes.", "licence": "cc-by-sa",
               "co_building": "Trois ateliers avec les équipes de Barriol.", "partners": "Centre social de Barriol",
               **fields}
    if data is not None:
        payload["file"] = (io.BytesIO(data), filename)
    return client.post(url, data=payload, content_type="multipart/form-data")


def raw_multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory (the test client spools large ones to a file it leaves open)."""
    boundary = "----observatoire-test"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 "Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def publish(client, tool_id: int) -> None:
    """A trainer publishes a proposed tool from its moderation page (with the files that page showed)."""
    page = client.get(f"/outils/moderation/{tool_id}").get_data(as_text=True)
    last = re.search(r'name="last_file" value="(\d+)"', page).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(f"/outils/moderation/{tool_id}", data={"csrf_token": token, "decision": "publier",
                                                               "last_file": last})
    assert answer.status_code == 302


def stored_files(app) -> list[Path]:
    root = Path(app.config["FILES_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_professional_proposes_a_tool_the_team_publishes_it_and_search_finds_its_file(app, client, session,
                                                                                      sign_in, make):
    professional = sign_in("professionnel")
    answer = tool_form(client, "/outils/nouveau")
    assert answer.status_code == 302
    tool = session.exec(select(Tool)).one()
    assert tool.publication_status == "en_attente" and tool.proposed_by_id == professional.id
    assert [(f.version, f.filename, f.kind) for f in tool.files] == [(1, "grille-freins.pdf", "pdf")]
    assert "Grille des freins" in client.get("/outils/").get_data(as_text=True)  # in « Mes propositions »
    anonymous = app.test_client()
    assert anonymous.get(f"/outils/{tool.id}").status_code == 404
    assert "Grille des freins" not in anonymous.get("/outils/").get_data(as_text=True)
    indexing.sync(app)
    assert "Grille des freins" not in anonymous.get("/recherche?q=leviers").get_data(as_text=True)

    trainer, team_member = app.test_client(), make.user("formateur")
    session.commit()
    login(trainer, team_member)
    queue = trainer.get("/moderation/").get_data(as_text=True)
    assert f"/outils/moderation/{tool.id}" in queue
    publish(trainer, tool.id)
    session.expire_all()
    assert session.get(Tool, tool.id).publication_status == "publiee" and tool.files[0].approved
    indexing.sync(app)
    found = anonymous.get("/recherche?q=freins+institutionnels").get_data(as_text=True)
    assert "Grille des freins" in found and "Fichier :" in found and "grille-freins.pdf" in found


def test_a_refused_upload_says_why_keeps_the_form_and_stores_nothing(app, client, session, sign_in):
    sign_in("formateur")
    answer = tool_form(client, "/outils/nouveau", data=b"#!/bin/sh\necho pwned\n", filename="../../grille.pdf",
                       description="Une description gardée telle quelle.")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="file-error">[^<]*ne correspond pas à son extension « \.pdf »', page)
    assert "Une description gardée telle quelle." in page and 'value="Centre social de Barriol"' in page
    assert session.exec(select(Tool)).all() == [] and session.exec(select(ToolFile)).all() == []
    assert stored_files(app) == []
    missing = tool_form(client, "/outils/nouveau", data=None)
    assert missing.status_code == 422 and "Joignez le fichier" in missing.get_data(as_text=True)


def test_an_oversized_file_is_refused_next_to_the_field(app, client, session, sign_in):
    sign_in("formateur")
    app.config["UPLOAD_MAX_MB"] = 1
    body, content_type = raw_multipart(
        {"csrf_token": csrf_token(client, "/outils/nouveau"), "title": "Grille des freins", "kind": "grille",
         "description": "Une grille pour repérer les freins.", "licence": "cc-by-sa"},
        "gros.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    answer = client.post("/outils/nouveau", data=body, content_type=content_type)
    assert answer.status_code == 422 and "taille maximale (1 Mo)" in answer.get_data(as_text=True)
    # Beyond twice the limit the body is not read at all (raw bytes: the test client spools a large multipart
    # body to a temporary file it never closes when the app refuses to read it).
    huge = client.post("/outils/nouveau", data=b"0" * (4 * 1024 * 1024),
                       content_type="multipart/form-data; boundary=x")
    assert huge.status_code == 413 and "trop volumineux" in huge.get_data(as_text=True)
    assert session.exec(select(ToolFile)).all() == [] and stored_files(app) == []


def test_versions_are_kept_and_a_proposers_files_wait_for_the_team(app, client, session, sign_in, make):
    professional = sign_in("professionnel")
    tool_form(client, "/outils/nouveau")
    tool = session.exec(select(Tool)).one()
    trainer, team_member = app.test_client(), make.user("formateur")
    session.commit()
    login(trainer, team_member)
    moderation_page = trainer.get(f"/outils/moderation/{tool.id}")  # the team looks at version 1...
    assert moderation_page.status_code == 200
    page = f"/outils/{tool.id}"

    def upload(name: str, data: bytes) -> None:
        client.post(f"{page}/versions", data={"csrf_token": csrf_token(client, page), "note": "Après l'atelier",
                                              "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    upload("grille-v2.txt", "Grille revue, café\n".encode("cp1252"))  # ...while she sends version 2
    last = re.search(r'name="last_file" value="(\d+)"', moderation_page.get_data(as_text=True)).group(1)
    trainer.post(f"/outils/moderation/{tool.id}", data={"csrf_token": csrf_token(trainer, "/moderation/"),
                                                       "decision": "publier", "last_file": last})
    session.expire_all()
    files = session.exec(select(ToolFile).order_by(ToolFile.version)).all()
    assert [(f.version, f.approved) for f in files] == [(1, True), (2, False)]  # version 2 was not seen
    anonymous = app.test_client()
    assert anonymous.get(f"{page}/fichiers/{files[1].id}").status_code == 404
    assert "grille-v2.txt" not in anonymous.get(page).get_data(as_text=True)
    mine = client.get(f"{page}/fichiers/{files[1].id}")
    assert mine.status_code == 200 and mine.headers["Cache-Control"] == "private, no-store"
    assert mine.data == "Grille revue, café\n".encode()  # a Windows-1252 text is kept as UTF-8
    assert "/outils/moderation/versions/" in trainer.get("/moderation/").get_data(as_text=True)
    trainer.post(f"/outils/moderation/versions/{files[1].id}",
                 data={"csrf_token": csrf_token(trainer, "/moderation/"), "decision": "publier"})
    shown = anonymous.get(page).get_data(as_text=True)
    assert "grille-v2.txt" in shown and "grille-freins.pdf" in shown  # the older version stays downloadable
    old = anonymous.get(f"{page}/fichiers/{files[0].id}")
    assert old.status_code == 200 and old.data == GRID and "Cache-Control" not in old.headers
    assert professional.id == files[1].uploaded_by_id
    upload("grille-v3.txt", b"Autre version\n")
    third = session.exec(select(ToolFile).where(ToolFile.version == 3)).one()
    stored = len(stored_files(app))
    trainer.post(f"/outils/moderation/versions/{third.id}",
                 data={"csrf_token": csrf_token(trainer, "/moderation/"), "decision": "refuser"})
    assert session.exec(select(ToolFile).where(ToolFile.version == 3)).first() is None
    assert len(stored_files(app)) == stored - 1  # the refused file is gone from the disk too


def test_downloads_are_attachments_that_no_browser_runs(app, client, session, sign_in):
    sign_in("formateur")
    tool_form(client, "/outils/nouveau", data="<b>Évaluation</b>\n".encode(), filename="évaluation.txt")
    tool_file = session.exec(select(ToolFile)).one()
    answer = app.test_client().get(f"/outils/{tool_file.tool_id}/fichiers/{tool_file.id}")
    assert answer.status_code == 200 and answer.data == "<b>Évaluation</b>\n".encode()
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%C3%A9valuation.txt" in disposition
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert answer.mimetype == "text/plain"
    assert app.test_client().get(f"/outils/{tool_file.tool_id}/fichiers/{tool_file.id + 1}").status_code == 404


def test_erasing_an_account_keeps_its_published_tools_and_my_data_lists_them(app, client, session, sign_in):
    professional = sign_in("professionnel")
    tool_form(client, "/outils/nouveau")
    tool = session.exec(select(Tool)).one()
    tool.publication_status, tool.files[0].approved = "publiee", True
    session.commit()
    exported = privacy.export_account(session, professional)
    assert [t["titre"] for t in exported["outils_proposes"]] == ["Grille des freins"]
    assert exported["outils_proposes"][0]["fichiers"] == [{"nom": "grille-freins.pdf", "version": 1}]
    privacy.erase_account(session, professional)
    session.commit()
    session.expire_all()
    kept = session.get(Tool, tool.id)
    assert kept is not None and kept.proposed_by_id is None and kept.files[0].uploaded_by_id is None
    assert app.test_client().get(f"/outils/{tool.id}/fichiers/{kept.files[0].id}").status_code == 200


@pytest.mark.parametrize("role", ["etudiant", "professionnel"])
def test_only_the_team_decides(app, client, session, sign_in, role):
    sign_in("formateur")
    tool_form(client, "/outils/nouveau")
    tool = session.exec(select(Tool)).one()
    tool.publication_status = "en_attente"
    session.commit()
    other = app.test_client()
    from tests import factories

    account = factories.Factories(session).user(role)
    session.commit()
    login(other, account)
    token = csrf_token(other, "/compte/connexion")
    assert other.post(f"/outils/moderation/{tool.id}", data={"csrf_token": token, "decision": "publier"}
                      ).status_code == 403
    session.expire_all()
    assert session.get(Tool, tool.id).publication_status == "en_attente"


def test_a_tool_and_the_workshop_sessions_that_used_it_point_to_each_other(demo_app, demo_client):
    from kb.db import new_session
    from kb.models import ToolSession

    with demo_app.app_context(), new_session(demo_app) as session:
        link = session.exec(select(ToolSession)).first()
        tool = session.get(Tool, link.tool_id)
        title, session_id = tool.title, link.session_id
    tool_page = demo_client.get(f"/outils/{tool.id}").get_data(as_text=True)
    assert f"/ateliers/seances/{session_id}" in tool_page
    session_page = demo_client.get(f"/ateliers/seances/{session_id}").get_data(as_text=True)
    assert "Outils utilisés" in session_page and title.replace("'", "&#39;") in session_page


def test_tools_and_their_versions_work_on_both_databases(any_app):
    from kb.db import new_session
    from kb.forms.tools import ToolInput
    from kb.policy import Viewer
    from kb.services import tools as services
    from kb.storage import get_storage
    from tests import factories

    with any_app.app_context(), new_session(any_app) as session:
        author = factories.Factories(session).user("professionnel")
        team = Viewer(role="formateur", user_id=None)
        pro = Viewer(role="professionnel", user_id=author.id)
        data = ToolInput(title="Grille des freins", kind="grille", description="Une grille pour repérer les freins.")
        tool = services.save_tool(session, data, pro, get_storage(any_app), 1024 * 1024,
                                  upload=services.Upload("grille.pdf", GRID))
        session.commit()
        services.decide_tool(session, tool, True, team, "", seen_file_id=tool.files[0].id)
        services.add_file(session, tool, services.Upload("grille-v2.txt", b"Version 2\n"), team,
                          get_storage(any_app), 1024 * 1024)
        session.commit()
        assert [(f.version, f.approved) for f in tool.files] == [(2, True), (1, True)]
        assert tool.latest().filename == "grille-v2.txt"
        assert [t.title for t in services.published(session)] == ["Grille des freins"]
        assert [t.id for t in services.proposed_by(session, author.id)] == [tool.id]

"""Importing organisations: the files people have (encodings, separators, XLSX, JSON, data·inclusion), places
resolved offline, a dry run that writes nothing, re-imports that change nothing, duplicates reported, each
rejected row with its reason, and the export → import round trip."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from sqlmodel import select

from kb.models import Organisation, Practitioner
from kb.services import imports
from kb.tabular import TableError, read_table

DATA_INCLUSION = [
    "id;siret;nom;commune;code_postal;code_insee;adresse;complement_adresse;latitude;longitude;typologie;telephone;"
    "courriel;site_web;presentation_resume;presentation_detail;source;date_maj;thematiques",
    "s1;13003013300016;Centre social Saint-Gabriel;MARSEILLE 14;13014;;12 rue Le Chatelier;;43.3396;5.3958;CS;"
    "04 91 00 00 00;contact@cs.example.org;https://cs.example.org;;;dora;2025-02-14;",
    "s2;;CCAS de Saint-Rémy;ST REMY DE PROVENCE;13210;;Place Jules Pélissier;Bât. A;;;CCAS;;pasunmail;;;;dora;"
    "2025-02-14;",
    "s3;;Association Sans Lieu;;;;;;;;ASSO;;;;;;dora;2025-02-14;",
    "s4;;Hors de France;;;;;;40.7;-74.0;ASSO;;;;;;dora;2025-02-14;",
    "s5;;Maison de quartier du Panier;;13001;;;;;;MQ;;;;;;dora;2025-02-14;",
    "s6;;Point info;;13100;;;;;;PI;;;;;;dora;2025-02-14;",
    "s7;;Centre social Saint-Gabriel;Marseille 14e Arrondissement;13014;;;;43.3397;5.3959;CS;;;;;;autre-source;"
    "2025-02-14;",
]


def run(session, text: str, *, dry_run: bool, source: str = "fichier", encoding: str = "utf-8"):
    table = read_table("structures.csv", text.encode(encoding))
    return imports.import_organisations(session, table, imports.guess_mapping(table.columns), source,
                                        dry_run=dry_run)


def by_line(report) -> dict[int, imports.Outcome]:
    return {o.line: o for o in report.outcomes}


def test_a_data_inclusion_file_imports_with_no_mapping(session):
    table = read_table("di.csv", "\n".join(DATA_INCLUSION).encode())
    mapping = imports.guess_mapping(table.columns)
    assert {mapping[c] for c in ("id", "siret", "nom", "code_postal", "code_insee", "typologie", "courriel")} == {
        "external_id", "siret", "name", "postal_code", "commune_insee", "kind", "email"}
    assert "date_maj" not in mapping and "thematiques" not in mapping


def test_each_row_is_placed_offline_or_reported(session):
    report = run(session, "\n".join(DATA_INCLUSION), dry_run=False)
    rows = by_line(report)
    gabriel = session.get(Organisation, next(o.id for o in session.exec(select(Organisation).where(
        Organisation.external_id == "s1"))))
    assert (gabriel.commune.name, gabriel.kind, gabriel.siret) == ("Marseille 14e Arrondissement", "centre_social",
                                                                   "13003013300016")
    ccas = session.exec(select(Organisation).where(Organisation.external_id == "s2")).one()
    assert ccas.commune.name == "Saint-Rémy-de-Provence" and ccas.address == "Place Jules Pélissier, Bât. A"
    assert (ccas.latitude, ccas.longitude) == (ccas.commune.latitude, ccas.commune.longitude)
    assert ccas.email == "" and "courriel « pasunmail » ignoré (adresse invalide)" in rows[3].notes
    lost = session.exec(select(Organisation).where(Organisation.external_id == "s3")).one()
    assert lost.latitude is None and lost.commune_insee is None
    assert rows[4].notes == ["sans position : aucun lieu indiqué"]
    assert rows[5].status == "rejetee" and rows[5].column == "latitude" and "hors de France" in rows[5].reason
    assert session.exec(select(Organisation).where(Organisation.external_id == "s4")).first() is None
    panier = session.exec(select(Organisation).where(Organisation.external_id == "s5")).one()
    assert panier.commune.name == "Marseille 1er Arrondissement"  # a postal code, not Aix's INSEE code 13001
    point = session.exec(select(Organisation).where(Organisation.external_id == "s6")).one()
    assert point.latitude is None and rows[7].notes[0].startswith("sans position : lieu ambigu « 13100 »")
    assert rows[8].status == "doublon" and "Centre social Saint-Gabriel" in rows[8].reason
    assert report.summary() == ("Import : 5 ajoutée, 0 mise à jour, 0 inchangée, 1 rejetée, "
                                "1 doublon probable (non créée) ; 2 sans position.")


def test_old_commune_names_and_codes_after_a_merger_are_placed_in_todays_commune(session):
    report = run(session, "\n".join([
        "id;nom;commune;code_postal;code_insee",
        "m1;Maison des services;BELLEGARDE SUR VALSERINE;01200;",
        "m2;Espace de vie sociale;Annecy-le-Vieux;;",
        "m3;Point relais;;;74011"]), dry_run=False)
    rows = by_line(report)
    placed = {o.external_id: o.commune.name for o in session.exec(select(Organisation))}
    assert placed == {"m1": "Valserhône", "m2": "Annecy", "m3": "Annecy"}
    assert rows[2].notes[0] == ("« Bellegarde-sur-Valserine » est une ancienne commune ou un ancien nom : "
                                "aujourd'hui Valserhône (01)")
    assert rows[3].notes[0] == "« Annecy-le-Vieux » est une ancienne commune ou un ancien nom : aujourd'hui Annecy (74)"
    assert rows[4].notes[0] == "code INSEE 74011 d'une ancienne commune : aujourd'hui Annecy (74010)"


def test_a_dry_run_reports_the_same_and_writes_nothing(session):
    dry = run(session, "\n".join(DATA_INCLUSION), dry_run=True)
    session.rollback()
    assert session.exec(select(Organisation)).all() == []
    real = run(session, "\n".join(DATA_INCLUSION), dry_run=False)
    assert [(o.line, o.status, o.reason) for o in dry.outcomes] == [(o.line, o.status, o.reason)
                                                                   for o in real.outcomes]


def test_importing_again_changes_nothing_and_a_changed_row_updates_its_record(session):
    run(session, "\n".join(DATA_INCLUSION), dry_run=False)
    session.commit()
    again = run(session, "\n".join(DATA_INCLUSION), dry_run=False)
    assert again.counts["ajoutee"] == 0 and again.counts["inchangee"] == 5 and again.counts["doublon"] == 1
    changed = [line.replace("04 91 00 00 00", "04 91 11 11 11") for line in DATA_INCLUSION]
    third = run(session, "\n".join(changed), dry_run=False)
    assert third.counts["mise_a_jour"] == 1
    assert session.exec(select(Organisation).where(Organisation.external_id == "s1")).one().phone == "04 91 11 11 11"
    assert len(session.exec(select(Organisation)).all()) == 5


def test_a_row_is_found_by_its_siret_and_never_by_its_name_alone(session, make):
    typed = make.organisation(name="CS Saint-Gabriel (saisi à la main)", siret="13003013300016")
    session.flush()
    report = run(session, "\n".join(DATA_INCLUSION[:2]), dry_run=False)
    assert report.outcomes[0].status == "mise_a_jour" and report.outcomes[0].record_id == typed.id
    assert (typed.source, typed.external_id, typed.name) == ("dora", "s1", "Centre social Saint-Gabriel")


def test_a_rejected_row_names_its_column_and_keeps_nothing(session):
    text = "nom;latitude;longitude\n;43.3;5.4\nSans longitude;43.3;\nCoordonnées fausses;abc;5.4\n"
    report = run(session, text, dry_run=False)
    assert [(o.status, o.column, o.reason) for o in report.outcomes] == [
        ("rejetee", "nom", "Le nom est vide."),
        ("rejetee", "latitude", "Latitude sans longitude (ou l'inverse)."),
        ("rejetee", "latitude", "« abc » n'est pas un nombre.")]
    assert session.exec(select(Organisation)).all() == []


@pytest.mark.parametrize("encoding, separator", [("utf-8-sig", ","), ("cp1252", ";"), ("latin-1", "\t"),
                                                 ("utf-8", ";")])
def test_csv_files_are_read_whatever_their_encoding_and_separator(encoding, separator):
    lines = [["Nom", "Code postal", "Commune", "Téléphone"],
             ["Épicerie solidaire « La Cigale »", "13200", "Arles", "04 90 00 00 00"]]
    if encoding == "latin-1":
        lines[1][0] = "Épicerie solidaire La Cigale"  # no « » in Latin-1
    out = io.StringIO()
    csv.writer(out, delimiter=separator).writerows(lines)
    table = read_table("f.csv", out.getvalue().encode(encoding))
    assert table.separator == separator and table.columns == lines[0]
    assert table.rows == [dict(zip(lines[0], lines[1], strict=True))]
    assert imports.guess_mapping(table.columns) == {"Nom": "name", "Code postal": "postal_code",
                                                    "Commune": "commune", "Téléphone": "phone"}


def test_xlsx_and_json_files_are_read(session):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom", "Code INSEE", "SIRET"])
    sheet.append(["Centre social des Alpilles", "13100", 13003013300016])
    data = io.BytesIO()
    book.save(data)
    table = read_table("classeur.xlsx", data.getvalue())
    assert table.format == "xlsx" and table.rows[0]["SIRET"] == "13003013300016"
    report = imports.import_organisations(session, table, imports.guess_mapping(table.columns), "classeur",
                                          dry_run=False)
    assert report.outcomes[0].status == "ajoutee"
    org = session.exec(select(Organisation).where(Organisation.name == "Centre social des Alpilles")).one()
    assert org.commune_insee == "13100" and org.siret == "13003013300016"  # INSEE 13100: Saint-Rémy
    listed = read_table("l.json", json.dumps([{"nom": "A", "thematiques": ["x", "y"]}]).encode())
    assert listed.rows == [{"nom": "A", "thematiques": "x | y"}]
    with pytest.raises(TableError, match="ne correspond pas à son extension"):
        read_table("faux.xlsx", b"nom;commune\nA;Arles\n")
    with pytest.raises(TableError, match="mal formé"):
        read_table("faux.json", b"[{\"nom\": ")


def test_an_export_imports_back_into_another_instance(client, session, make, tmp_path):
    make.organisation(name="Centre social Les Tamaris", kind="centre_social", postal_code="13200",
                      address="3 rue des Lices", phone="04 90 00 00 01", siret="13003013300016")
    lost = make.organisation(name="ADDAP 13", kind="association")
    lost.commune_insee, lost.latitude, lost.longitude, lost.postal_code = None, None, None, ""
    session.commit()
    exported = client.get("/organisations/export.geojson").data
    before = sorted((o.name, o.kind, o.address, o.phone, o.siret, o.commune_insee) for o in session.exec(select(Organisation)))
    for org in session.exec(select(Organisation)).all():
        session.delete(org)
    session.commit()
    table = read_table("organisations.geojson", exported)
    report = imports.import_organisations(session, table, imports.guess_mapping(table.columns), "export",
                                          dry_run=False)
    assert report.counts["ajoutee"] == 2
    after = sorted((o.name, o.kind, o.address, o.phone, o.siret, o.commune_insee) for o in session.exec(select(Organisation)))
    assert after == before


def test_the_command_shows_its_progress_and_imports_only_with_apply(app, session, tmp_path):
    path = tmp_path / "structures.csv"
    path.write_text("\n".join(DATA_INCLUSION), encoding="utf-8")
    from kb.cli import import_cli

    runner = CliRunner()
    with app.app_context():
        trial = runner.invoke(import_cli, ["organisations", str(path)], catch_exceptions=False)
        assert trial.exit_code == 0 and "Essai (rien n'est enregistré) : 5 ajoutée" in trial.output
        assert "Lignes traitées : 7/7" in trial.output
        assert session.exec(select(Organisation)).all() == []
        done = runner.invoke(import_cli, ["organisations", str(path), "--apply", "--report",
                                          str(tmp_path / "rapport.csv")], catch_exceptions=False)
        assert done.exit_code == 0 and "Import : 5 ajoutée" in done.output
    session.expire_all()
    assert len(session.exec(select(Organisation)).all()) == 5
    # A second process indexed the batches as they were committed; the command's last drain left nothing.
    from kb import indexing
    with app.app_context(), indexing.new_session(app) as check:
        assert indexing.lag(app, check) == 0
    found = app.test_client().get("/recherche", query_string={"q": "Saint-Gabriel"}).get_data(as_text=True)
    assert "Centre social Saint-Gabriel" in found
    report = (tmp_path / "rapport.csv").read_text(encoding="utf-8-sig")
    assert "5;Hors de France;rejetée;latitude;" in report


PEOPLE = ["matricule;prénom;nom;fonction;courriel;téléphone;structure",
          "p1;Inès;Martin;Assistante de service social;ines.martin@example.org;04 65 71 12 34;Centre social Les Tamaris",
          "p2;Paul;Durand;chef_service;;;Structure inconnue",
          "p3;;;animateur;;;",
          "p4;Inès;Martin;Éducatrice spécialisée;;;Centre social Les Tamaris",
          "p5;Zoé;Blanc;Cuisinière;zoe.blanc@example.org;;"]


def test_practitioners_import_unlisted_until_they_agree_and_are_found_again(session, make):
    tamaris = make.organisation(name="Centre social Les Tamaris")
    session.commit()
    table = read_table("personnes.csv", "\n".join(PEOPLE).encode())
    mapping = imports.guess_mapping(table.columns, "intervenants")
    assert mapping == {"matricule": "external_id", "prénom": "first_name", "nom": "last_name",
                       "fonction": "function", "courriel": "email", "téléphone": "phone",
                       "structure": "organisation"}
    report = imports.Report(dry_run=False)
    list(imports.import_practitioner_steps(session, table, mapping, "rh", report))
    rows = by_line(report)
    assert [rows[n].status for n in range(2, 7)] == ["ajoutee", "ajoutee", "rejetee", "doublon", "ajoutee"]
    assert "non listée dans l'annuaire tant que la personne n'a pas donné son accord" in rows[2].notes
    assert "organisation « Structure inconnue » introuvable : non reliée" in rows[3].notes
    assert "fonction « Cuisinière » inconnue : « autre fonction »" in rows[6].notes
    ines = session.exec(select(Practitioner).where(Practitioner.external_id == "p1")).one()
    assert (ines.function, ines.consent_listed, [o.id for o in ines.organisations]) == ("ass", False, [tamaris.id])
    assert session.exec(select(Practitioner).where(Practitioner.external_id == "p2")).one().actor_category == \
        "chef_service"
    session.commit()
    again = imports.Report(dry_run=False)
    list(imports.import_practitioner_steps(session, table, mapping, "rh", again))
    assert [o.status for o in again.outcomes] == ["inchangee", "inchangee", "rejetee", "doublon", "inchangee"]
    ines.consent_listed = True  # she agreed since: a new import leaves her consent as it is
    session.commit()
    list(imports.import_practitioner_steps(session, table, mapping, "rh", imports.Report(dry_run=False)))
    assert ines.consent_listed is True


def test_a_directory_export_imports_back_as_the_same_people_unlisted_until_they_agree(client, session, make):
    from tests.conftest import login

    tamaris = make.organisation(name="Centre social Les Tamaris")
    ccas = make.organisation(name="CCAS d'Arles")
    make.practitioner([tamaris, ccas], first_name="Inès", last_name="Martin", function="cesf",
                      actor_category="chef_service", phone="04 65 71 12 34")
    make.practitioner([tamaris], first_name="Paul", last_name="Durand", function="directeur",
                      actor_category="direction", phone="06 39 98 00 01")
    make.practitioner([], first_name="Zoé", last_name="Blanc", function="es", phone="")
    admin = make.user("admin")
    session.commit()
    login(client, admin)
    exported = client.get("/intervenants/export.csv").data

    def people():
        return sorted((p.first_name, p.last_name, p.function, p.actor_category, p.phone,
                       tuple(sorted(o.name for o in p.organisations))) for p in session.exec(select(Practitioner)))

    before = people()
    for person in session.exec(select(Practitioner)).all():
        session.delete(person)
    session.commit()
    table = read_table("annuaire.csv", exported)
    mapping = imports.guess_mapping(table.columns, "intervenants")
    assert {"Identifiant": "external_id", "Prénom": "first_name", "Nom": "last_name", "Fonction": "function",
            "Catégorie d'acteur": "actor_category", "Organisations": "organisation",
            "Téléphone": "phone"}.items() <= mapping.items()
    report = imports.Report(dry_run=False)
    list(imports.import_practitioner_steps(session, table, mapping, "export", report))
    assert [o.status for o in report.outcomes] == ["ajoutee"] * 3 and not any(
        n.startswith(("organisation", "fonction", "catégorie")) for o in report.outcomes for n in o.notes)
    session.commit()
    assert people() == before
    assert not any(p.consent_listed for p in session.exec(select(Practitioner)))  # until each one agrees again
    again = imports.Report(dry_run=False)
    list(imports.import_practitioner_steps(session, table, mapping, "export", again))
    assert [o.status for o in again.outcomes] == ["inchangee"] * 3


def test_actions_import_as_the_team_would_type_them_and_an_export_comes_back(client, session, make):
    from kb.models import FieldAction
    from kb.policy import Viewer

    make.action(title="Jardin partagé des Tamaris", themes=["Jardinage"], publics=["Familles"], mode="dsl")
    make.action(title="Groupe de parole des aidants", summary="Un groupe mensuel pour les aidants du quartier.")
    session.commit()
    exported = client.get("/actions/export.csv").data
    before = sorted((a.title, a.summary, a.mode, a.status, a.commune_insee,
                     tuple(t.name for t in a.tags_of("theme"))) for a in session.exec(select(FieldAction)))
    for action in session.exec(select(FieldAction)).all():
        session.delete(action)
    session.commit()
    table = read_table("actions.csv", exported)
    mapping = imports.guess_mapping(table.columns, "actions")
    assert {"Titre": "title", "Résumé": "summary", "Mode (code)": "mode", "Thèmes": "themes"}.items() <= \
        mapping.items() and "Mode" not in mapping
    team = Viewer(role="admin")
    report = imports.Report(dry_run=False)
    list(imports.import_action_steps(session, table, mapping, "export", report, team))
    assert [o.status for o in report.outcomes] == ["ajoutee", "ajoutee"]
    session.commit()
    after = sorted((a.title, a.summary, a.mode, a.status, a.commune_insee,
                    tuple(t.name for t in a.tags_of("theme"))) for a in session.exec(select(FieldAction)))
    assert after == before and all(a.publication_status == "publiee" for a in session.exec(select(FieldAction)))
    again = imports.Report(dry_run=False)
    list(imports.import_action_steps(session, table, mapping, "export", again, team))
    assert [o.status for o in again.outcomes] == ["inchangee", "inchangee"]


def test_an_action_row_that_names_someone_waits_as_a_draft_and_bad_rows_name_their_column(session):
    from kb.models import FieldAction
    from kb.policy import Viewer

    text = ("id;titre;résumé;mode;commune\n"
            "a1;Atelier cuisine du Trébon;Mme Durand, 82 ans, anime l'atelier chaque jeudi.;groupe;Arles\n"
            "a2;Sortie;Court;groupe;Arles\n"
            "a3;Marche exploratoire;Des habitantes repèrent les lieux à réaménager.;inconnu;Arles\n"
            "a4;Atelier cuisine du Trébon;Un atelier hebdomadaire de cuisine partagée.;groupe;Arles\n")
    table = read_table("a.csv", text.encode())
    report = imports.Report(dry_run=False)
    list(imports.import_action_steps(session, table, imports.guess_mapping(table.columns, "actions"), "f", report,
                                     Viewer(role="admin")))
    rows = by_line(report)
    assert rows[2].status == "ajoutee" and "à anonymiser avant de la publier" in rows[2].notes[-1]
    draft = session.exec(select(FieldAction).where(FieldAction.external_id == "a1")).one()
    assert draft.publication_status == "brouillon"
    assert (rows[3].status, rows[3].column) == ("rejetee", "résumé")
    assert (rows[4].status, rows[4].column, rows[4].reason) == ("rejetee", "mode", "Choisissez une valeur de la liste.")
    assert rows[5].status == "ajoutee"  # a draft is not a published twin: the warning only reads published ones


def test_lines_that_would_write_one_organisation_twice_are_reported_and_a_reimport_changes_nothing(session, make):
    make.organisation(name="Centre social Les Tamaris", siret="13003013300016", postal_code="13200")
    session.commit()
    text = "\n".join(["id;siret;nom;code_insee",
                      "a;13003013300016;Centre social Les Tamaris;13004",
                      "b;13003013300016;Centre social Tamaris bis;13004",
                      "c;55203253400646;Maison de quartier\x00 du Trébon;13004",
                      "d;55203253400646;Maison du Trébon (antenne);13004"])
    first = by_line(run(session, text, dry_run=False))
    assert [first[n].status for n in (2, 3, 4, 5)] == ["mise_a_jour", "doublon", "ajoutee", "doublon"]
    assert "Même organisation que la ligne 2" in first[3].reason and "Même SIRET que la ligne 4" in first[5].reason
    assert session.exec(select(Organisation).where(Organisation.external_id == "c")).one().name == \
        "Maison de quartier du Trébon"  # a NUL byte never gets in
    session.commit()
    again = by_line(run(session, text, dry_run=False))
    assert [again[n].status for n in (2, 3, 4, 5)] == ["inchangee", "doublon", "inchangee", "doublon"]


def test_a_unit_chosen_by_hand_stays_when_the_same_file_comes_again(session, make):
    from kb.models import Territory

    text = "id;nom;code_insee\nt1;Centre social du Trébon;13004"
    run(session, text, dry_run=False)
    session.commit()
    org = session.exec(select(Organisation).where(Organisation.external_id == "t1")).one()
    marseille = session.exec(select(Territory).where(Territory.slug == "marseille")).one()
    assert org.territory_id != marseille.id
    org.territory_id = marseille.id  # the team moved it to another unit in the form
    session.commit()
    assert by_line(run(session, text, dry_run=False))[2].status == "inchangee"
    session.commit()
    session.refresh(org)
    assert org.territory_id == marseille.id

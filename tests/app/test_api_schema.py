"""Schemathesis against the OpenAPI document: every operation of /api/v1, as anonymous and as a signed-in
professional, answers no server error and only what its document says (status, headers, body schema)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from kb.demo.accounts import DEMO_ACCOUNTS
from tests.conftest import post_form

PRO = next((email, password) for email, _name, role, password, approved in DEMO_ACCOUNTS
           if role == "professionnel" and approved)
EXAMPLES = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def operations(app) -> list:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def session_cookie(app) -> dict[str, str]:
    """The session cookie of a professional signed in through the login form."""
    client = app.test_client()
    assert post_form(client, "/compte/connexion", {"email": PRO[0], "password": PRO[1]}).status_code == 302
    return {"session": client.get_cookie("session").value}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonyme", "professionnel"])
def test_every_operation_answers_as_documented(demo_app, signed_in):
    cookies = session_cookie(demo_app) if signed_in else None
    found = operations(demo_app)
    assert {f"{o.method.upper()} {o.path}" for o in found} >= {
        "GET /api/v1/actions", "GET /api/v1/actions/{action_id}", "GET /api/v1/organisations",
        "GET /api/v1/practitioners", "GET /api/v1/search"}
    for operation in found:
        @given(case=operation.as_strategy())
        @EXAMPLES
        def run(case):
            case.call_and_validate(cookies=cookies)

        run()

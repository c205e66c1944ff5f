"""Schemathesis against the OpenAPI document: every operation of /api/v1 (reading and writing), as anonymous, as a
professional signed in by her browser's cookie, and with her personal token, answers no server error and only
what its document says (status, headers, body schema)."""

from __future__ import annotations

import random

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


def bearer(app) -> dict[str, str]:
    """The Authorization header of a personal token of the professional."""
    from kb.db import new_session
    from kb.models import UserAccount
    from kb.services.tokens import create_token

    with app.app_context(), new_session(app) as session:
        from sqlmodel import select

        account = session.exec(select(UserAccount).where(UserAccount.email == PRO[0])).one()
        _token, secret = create_token(session, account, "schemathesis", PRO[1])
        session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("caller", ["anonyme", "session", "jeton"])
def test_every_operation_answers_as_documented(demo_app, caller):
    cookies = session_cookie(demo_app) if caller == "session" else None
    headers = bearer(demo_app) if caller == "jeton" else None
    found = operations(demo_app)
    assert {f"{o.method.upper()} {o.path}" for o in found} == {
        "GET /api/v1/actions", "POST /api/v1/actions", "GET /api/v1/actions/{action_id}",
        "PUT /api/v1/actions/{action_id}", "GET /api/v1/organisations", "GET /api/v1/organisations/{org_id}",
        "GET /api/v1/practitioners", "GET /api/v1/practitioners/{person_id}", "GET /api/v1/search"}
    for operation in found:
        check(operation, cookies, headers)


def check(operation, cookies, headers) -> None:
    """Run the examples of one operation. A schema-valid action may still break a rule of the form (a territory
    that does not exist, dates in the wrong order, a commune not found): a documented 422, not the acceptance the
    positive-data check expects, which stays on for reads. With a valid token sent on every request, the check
    that a wrong credential is refused cannot apply (the anonymous run covers refusals)."""
    skipped = [schemathesis.checks.positive_data_acceptance] if operation.method.upper() != "GET" else []
    if headers:
        skipped.append(schemathesis.checks.ignored_auth)

    @given(case=operation.as_strategy())
    @EXAMPLES
    def run(case):
        # Hypothesis seeds the global `random` alike for every example, and whoosh names its new segments with
        # it: a second write would take the first one's segment name. Give the app fresh chance.
        random.seed()
        case.call_and_validate(cookies=cookies, headers=headers, excluded_checks=skipped)

    run()

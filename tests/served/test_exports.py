"""Exports under gunicorn: the body is written after the view has returned and its request's session is closed,
so a download must read through a session of its own (the Flask test client keeps the test's app context and
hides this)."""

from __future__ import annotations

import csv
import io
import json

from tests.served.conftest import client_session, sign_in

ADMIN = ("admin@demo.observatoire-isic.fr", "demo-admin-2012")


def test_every_export_holds_every_listed_record_to_its_end(served):
    server = served()
    http = client_session()
    actions = json.loads(http.get(server.url + "/actions/export.json", timeout=60).text)
    assert actions["total"] == len(actions["items"]) > 1
    rows = list(csv.DictReader(io.StringIO(http.get(server.url + "/actions/export.csv", timeout=60).text[1:]),
                               delimiter=";"))
    assert len(rows) == actions["total"]
    places = json.loads(http.get(server.url + "/organisations/export.geojson", timeout=60).text)
    assert len(places["features"]) > 1
    sign_in(http, server.url, *ADMIN)
    people = json.loads(http.get(server.url + "/intervenants/export.json", timeout=60).text)
    assert people["total"] == len(people["items"]) > 1
    assert "Traceback" not in server.log() and "export interrupted" not in server.log()

"""Security headers: a Content-Security-Policy with no third-party origin but the tiles, and a nonce."""

from __future__ import annotations

import re

import pytest

from kb.security import tiles_origin


def test_every_page_sends_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_inline_map_scripts_carry_this_requests_nonce(client, make, session):
    make.action()
    session.commit()
    first, second = client.get("/carte"), client.get("/carte")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    page = first.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
    assert nonce not in second.headers["Content-Security-Policy"], "a new nonce per request"


def test_only_the_configured_tile_server_is_allowed_besides_the_app(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    sources = {s for directive in csp.split(";") for s in directive.split()[1:]}
    assert {s for s in sources if "://" in s} == {"https://tile.openstreetmap.org"}


@pytest.mark.parametrize(("url", "origin"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
    ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
    ("", None),
    ("javascript:alert(1)", None),
])
def test_tile_origin(url, origin):
    assert tiles_origin(url) == origin

"""Security headers on every response, with a Content-Security-Policy that allows no third-party origin.

Inline scripts and styles (the map fragments) carry a per-request nonce. The only other origin a page
may load from is the tile server's, because the tile URL is a setting; with the default self-hosted
assets nothing else is needed.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix


def tiles_origin(url: str | None) -> str | None:
    """The CSP source of a tile URL template ("https://{s}.tile.example.org/{z}/..." -> "https://*.tile.example.org")."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}.", "sub-placeholder."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc.replace("sub-placeholder.", "*.")
    return f"{parts.scheme}://{host}"


def csp_nonce() -> str:
    """This request's nonce for inline <script> and <style> elements (kept in the WSGI environ: one per request)."""
    return request.environ.setdefault("kb.csp_nonce", secrets.token_urlsafe(18))


def policy(nonce: str, tiles: str | None) -> str:
    """The Content-Security-Policy header value."""
    images = " ".join(filter(None, ("'self'", "data:", tiles)))
    return "; ".join((
        "default-src 'self'", f"script-src 'self' 'nonce-{nonce}'", f"style-src 'self' 'nonce-{nonce}'",
        f"img-src {images}", "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ))


def init_app(app: Flask) -> None:
    """Add the headers to every response and expose the nonce to templates."""
    tiles = tiles_origin(app.config.get("TILES_URL"))
    app.add_template_global(csp_nonce, "csp_nonce")

    @app.before_request
    def _no_nul_bytes() -> None:
        # Nobody types a NUL character; PostgreSQL refuses it in text, so it would otherwise fail deep inside.
        # The search reads any query itself (control characters fall back to plain terms) and never sends
        # it to the database; everywhere else a NUL is refused with a clear message.
        searching = request.endpoint in ("search.search_page", "search.search_api")
        values = [request.path, *([] if searching else request.args.values()), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400, "La requête contient un caractère invalide (NUL). Retirez-le et réessayez.")

    if app.config.get("PROXY_HOPS"):
        # Behind a reverse proxy, the client's address (rate limits, reports) is in X-Forwarded-For.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy(csp_nonce(), tiles))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response

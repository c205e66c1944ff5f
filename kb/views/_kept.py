"""Pages kept for anonymous readers: a public page rendered once per content revision, per process.

Most readers are not signed in (students, peers, the public) and all of them see the same page. A kept
page is filed under its URL, the content revision (``kb.indexing.revision``: any commit that changes data
moves it), the search index's generation (similar actions) and the day, so it never outlives a change;
the revision is read before the page's data, so the page is at least as new as its key. Signed-in people,
a session with a message to show, any answer but a 200 and a page holding a form's CSRF token are rendered
as usual. The CSP nonce of each
response is put back into the kept HTML.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from flask import current_app, request, session

from kb.auth import current_viewer
from kb.db import get_session
from kb.indexing import get_index, revision
from kb.security import csp_nonce
from search_index import SearchIndexError

NONCE_SLOT = "\x00kb-nonce\x00"  # NUL never reaches a page: input with it is refused


class KeptPages:
    """The most recently used pages of one process, at most ``size`` of them."""

    def __init__(self, size: int = 1024) -> None:
        """An empty store."""
        self.size = size
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> str | None:
        """The page kept under ``key``, if any."""
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
            return html

    def put(self, key: tuple, html: str) -> None:
        """Keep a page; pages of older revisions go first as the store fills up."""
        with self._lock:
            self._pages[key] = html
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _index_stamp() -> tuple:
    try:
        return get_index(current_app._get_current_object()).generation()
    except (SearchIndexError, OSError):
        return ("indisponible",)


def kept_page(render: Callable[[], tuple[str, int] | str]):
    """The answer of ``render()``, served from the kept pages for an anonymous reader when it can be."""
    if current_viewer().user_id is not None or session.get("_flashes") or request.method != "GET":
        return render()
    key = (request.full_path, revision.current(get_session()), _index_stamp(), date.today())
    pages: KeptPages = current_app.extensions.setdefault("kb_kept_pages", KeptPages())
    nonce = csp_nonce()
    html = pages.get(key)
    if html is not None:
        return html.replace(NONCE_SLOT, nonce)
    answer = render()
    if isinstance(answer, str) and 'name="csrf_token"' not in answer:  # a form's token belongs to one session
        pages.put(key, answer.replace(nonce, NONCE_SLOT))
    return answer

"""Pages kept for anonymous readers: a public page rendered once per content revision, per process.

Most readers are not signed in (students, peers, the public) and all of them see the same page. A kept
page is filed under what the view names (an action id, never the raw URL: query strings and spellings of
the id cannot multiply copies), the script root, the content revision (``kb.indexing.revision``: any
commit that changes data moves it), the search index's generation (similar actions) and the day, so it
never outlives a change; the revision is read before the page's data, so the page is at least as new as
its key. Signed-in people, a session with a message to show, any answer but a 200, a page holding a form's
CSRF token and a page rendered without a part (``incomplete()``: the index did not answer) are rendered
as usual. Pages are kept as UTF-8 bytes, bounded in total size; the CSP nonce of each response is put
back into them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date

from flask import current_app, g, request, session

from kb.auth import current_viewer
from kb.db import get_session
from kb.indexing import get_index, revision
from kb.security import csp_nonce
from search_index import SearchIndexError

NONCE_SLOT = b"\x00kb-nonce\x00"  # NUL never reaches a page: input with it is refused
MAX_BYTES = 32 * 1024 * 1024  # per process: ~1,500 demo action pages of ~22 kB


class KeptPages:
    """The most recently used pages of one process, at most ``max_bytes`` of them."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        """An empty store."""
        self.max_bytes, self.size = max_bytes, 0
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        """The page kept under ``key``, if any."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: bytes) -> None:
        """Keep a page; the least recently used go first as the store fills up."""
        if len(page) > self.max_bytes // 16:
            return
        with self._lock:
            self.size += len(page) - len(self._pages.pop(key, b""))
            self._pages[key] = page
            while self.size > self.max_bytes:
                self.size -= len(self._pages.popitem(last=False)[1])


def incomplete() -> None:
    """Tell ``kept_page`` that this page lacks a part it normally shows (not to be kept)."""
    g.kb_page_incomplete = True


def _index_stamp() -> tuple:
    try:
        return get_index(current_app._get_current_object()).generation()
    except (SearchIndexError, OSError):
        return ("indisponible",)


def kept_page(name: Hashable, render: Callable[[], str | tuple]):
    """The answer of ``render()``, served from the kept pages for an anonymous reader when it can be."""
    if current_viewer().user_id is not None or session.get("_flashes") or request.method != "GET":
        return render()
    key = (name, request.script_root, revision.current(get_session()), _index_stamp(), date.today())
    pages: KeptPages = current_app.extensions.setdefault("kb_kept_pages", KeptPages())
    nonce = csp_nonce()
    page = pages.get(key)
    if page is not None:
        return page.replace(NONCE_SLOT, nonce.encode())
    answer = render()
    if isinstance(answer, str) and 'name="csrf_token"' not in answer and not g.get("kb_page_incomplete"):
        pages.put(key, answer.encode().replace(nonce.encode(), NONCE_SLOT))
    return answer

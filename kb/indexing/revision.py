"""The content revision: one number that every commit changing what pages show moves up.

Pages kept for anonymous readers (``kb/views/_kept.py``) are valid while it stays the same, so a kept page
never outlives a change, whatever the process that made it. The change capture (``capture.py``) marks a
session when a flush or a bulk statement touches any table but the bookkeeping ones, and counts one more
at commit, after the index versions: every writer takes the row last, in the same order, and holds it only
while it commits. Reading it is one primary-key lookup.
"""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session as OrmSession

from kb.indexing.versions import upsert_insert
from kb.models import ContentRevision, UserAccount

# Tables no page shows to an anonymous reader, written on every sign-in, drain or rate check.
BOOKKEEPING = frozenset({"index_change", "index_version", "index_log_head", "index_cursor", "content_revision",
                         "rate_event", "mail_queue", "signup_request"})
MOVED = "kb_content_moved"
_TABLE = ContentRevision.__table__
_SIGN_IN_ONLY = {"last_login_at", "updated_at"}


def _shown(obj: object, dirty: bool) -> bool:
    if getattr(type(obj), "__tablename__", None) in BOOKKEEPING:
        return False
    if dirty and isinstance(obj, UserAccount):  # a sign-in stamps the account and changes no page
        state = inspect(obj)
        return any(attr.history.has_changes() for attr in state.attrs if attr.key not in _SIGN_IN_ONLY)
    return True


def mark_flush(session: OrmSession) -> None:
    """Note that this transaction changes content, if its flush writes anything a page may show."""
    if any(_shown(o, False) for o in (*session.new, *session.deleted)) or \
            any(_shown(o, True) for o in session.dirty if session.is_modified(o)):
        session.info[MOVED] = True


def mark_statement(state: ORMExecuteState) -> None:
    """Note a bulk UPDATE / DELETE / INSERT run through the session (``session.execute(update(...))``)."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) not in BOOKKEEPING:
            state.session.info[MOVED] = True


def count(session: OrmSession) -> None:
    """At commit: one more revision if the transaction changed content."""
    if not session.info.pop(MOVED, False):
        return
    conn = session.connection()
    conn.execute(upsert_insert(conn.dialect.name)(_TABLE).values(id=1, value=1)
                 .on_conflict_do_update(index_elements=[_TABLE.c.id], set_={"value": _TABLE.c.value + 1}))


def forget(session: OrmSession) -> None:
    """A rolled back or closed transaction changed nothing."""
    session.info.pop(MOVED, None)


def current(session: OrmSession) -> int:
    """The content revision now (0 before the first change). Read it before the data a kept page shows:
    the page is then at least as new as the revision it is kept under."""
    return session.execute(select(_TABLE.c.value).where(_TABLE.c.id == 1)).scalar() or 0

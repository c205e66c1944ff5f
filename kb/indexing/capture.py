"""Change capture: what a transaction changed in searchable data becomes change-log entries in that transaction.

Listening to flushes (not to the objects left at commit time) sees every object, including those
flushed early by a service. Deleted records are resolved before their flush, while the link rows that
name their dependents still exist; new and changed ones after it, once they have ids. The documents
they touch are collected per session; at commit, their versions are counted (``versions.bump``) and
the change-log entries numbered (``log.reserve``) and written through the transaction's own connection, so
the data, the versions and the note "to index" commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession

from kb.indexing import log, revision, versions
from kb.models import (
    ActionPartner,
    ActionPractitioner,
    ActionTag,
    Barrier,
    Cahier,
    Effect,
    FieldAction,
    IndexChange,
    Lever,
    Organisation,
    Practitioner,
    PractitionerOrganisation,
    Presentation,
    PresentationPresenter,
    Tag,
    Tool,
    ToolAction,
    ToolFile,
    ToolSession,
    UserAccount,
    Workshop,
    WorkshopSession,
    WorkshopTrainer,
)
from kb.models.base import utcnow

Key = tuple[str, int]
DOCUMENT_KINDS = ("action", "practitioner", "organisation", "tool", "session", "cahier")
_PENDING = "kb_index_deleted_keys"
_CHANGED = "kb_index_changed_keys"


def _direct_keys(obj: object) -> set[Key]:
    """Documents an object is part of, from its own columns."""
    if isinstance(obj, FieldAction):
        return {("action", obj.id)}
    if isinstance(obj, Effect | Barrier | Lever | ActionTag | ActionPractitioner):
        return {("action", obj.action_id)}
    if isinstance(obj, ActionPartner):
        return {("action", obj.action_id), ("organisation", obj.organisation_id)}
    if isinstance(obj, ToolAction):
        return {("action", obj.action_id), ("tool", obj.tool_id)}
    if isinstance(obj, Practitioner):
        return {("practitioner", obj.id)}
    if isinstance(obj, PractitionerOrganisation):
        return {("practitioner", obj.practitioner_id), ("organisation", obj.organisation_id)}
    if isinstance(obj, Organisation):
        return {("organisation", obj.id)}
    if isinstance(obj, Tool):
        return {("tool", obj.id)}
    if isinstance(obj, ToolFile | ToolSession):
        return {("tool", obj.tool_id)}  # the words of its files are the tool's
    if isinstance(obj, WorkshopSession):
        return {("session", obj.id)}
    if isinstance(obj, Cahier):
        return {("cahier", obj.id)}  # a published cahier's words are its snapshot: its sections do not change it
    if isinstance(obj, Presentation):
        return {("session", obj.session_id), ("presentation", obj.id)}
    if isinstance(obj, PresentationPresenter):
        return {("presentation", obj.presentation_id)}
    if isinstance(obj, Workshop):
        return {("workshop", obj.id)}
    if isinstance(obj, WorkshopTrainer):
        return {("workshop", obj.workshop_id)}
    if isinstance(obj, UserAccount):
        return {("account", obj.id)}  # a trainer's name shows in the sessions of her workshops
    if isinstance(obj, Tag):
        return {("tag", obj.id)}  # its name and synonyms are words of its actions
    return set()


def _shown_change(obj: object) -> bool:
    """Whether a changed object changes what documents show: an account only by its name, not by
    its logins (``last_login_at`` changes at every sign-in)."""
    if isinstance(obj, UserAccount):
        return inspect(obj).attrs.display_name.history.has_changes()
    return True


def _linked(conn: Connection, column, where, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    return set(conn.execute(select(column).where(where.in_(sorted(ids)))).scalars())


def _dependents(conn: Connection, keys: set[Key]) -> set[Key]:
    """Documents that show another record: names of people, organisations and tools, titles of actions."""
    people = {i for k, i in keys if k == "practitioner"}
    orgs = {i for k, i in keys if k == "organisation"}
    tools = {i for k, i in keys if k == "tool"}
    people |= _linked(conn, PractitionerOrganisation.practitioner_id, PractitionerOrganisation.organisation_id, orgs)
    actions = _linked(conn, ActionPractitioner.action_id, ActionPractitioner.practitioner_id, people)
    actions |= _linked(conn, ActionPartner.action_id, ActionPartner.organisation_id, orgs)
    actions |= _linked(conn, ToolAction.action_id, ToolAction.tool_id, tools)
    actions |= _linked(conn, ActionTag.action_id, ActionTag.tag_id, {i for k, i in keys if k == "tag"})
    # Sessions show the titles of the actions presented, the presenters' and the trainers' names.
    presentations = {i for k, i in keys if k == "presentation"}
    presentations |= _linked(conn, PresentationPresenter.presentation_id, PresentationPresenter.practitioner_id, people)
    sessions = _linked(conn, Presentation.session_id, Presentation.id, presentations)
    sessions |= _linked(conn, Presentation.session_id, Presentation.action_id,
                        actions | {i for k, i in keys if k == "action"})
    workshops = {i for k, i in keys if k == "workshop"}
    workshops |= _linked(conn, WorkshopTrainer.workshop_id, WorkshopTrainer.account_id,
                         {i for k, i in keys if k == "account"})
    sessions |= _linked(conn, WorkshopSession.id, WorkshopSession.workshop_id, workshops)
    # Partner organisations and tools list the titles of their public actions: an action renamed,
    # hidden or deleted changes them too.
    changed = {i for k, i in keys if k == "action"}
    orgs = _linked(conn, ActionPartner.organisation_id, ActionPartner.action_id, changed)
    tools = _linked(conn, ToolAction.tool_id, ToolAction.action_id, changed)
    return ({("action", i) for i in actions} | {("practitioner", i) for i in people} | {("session", i) for i in sessions}
            | {("organisation", i) for i in orgs} | {("tool", i) for i in tools})


def _keys(objects: Iterable[object]) -> set[Key]:
    keys: set[Key] = set()
    for obj in objects:
        keys |= {k for k in _direct_keys(obj) if k[1] is not None}
    return keys


def _before_flush(session: OrmSession, flush_context, instances) -> None:
    deleted = _keys(session.deleted)
    if deleted:
        conn = session.connection()
        found = {k for k in deleted | _dependents(conn, deleted) if k[0] in DOCUMENT_KINDS}
        session.info.setdefault(_PENDING, set()).update(found)


def _after_flush(session: OrmSession, flush_context) -> None:
    revision.mark_flush(session)
    keys = session.info.pop(_PENDING, set())
    changed = _keys(list(session.new) + [obj for obj in session.dirty if _shown_change(obj)])
    if changed:
        keys |= changed | _dependents(session.connection(), changed)
    keys = {k for k in keys if k[0] in DOCUMENT_KINDS}  # links and groups only point at documents
    if keys:
        session.info.setdefault(_CHANGED, set()).update(keys)


def note(session: OrmSession, added: Iterable[Key], changed: Iterable[Key] = ()) -> None:
    """Documents written by bulk statements, which no flush shows (an import): indexed at commit like the others.

    ``added`` are new records, which nothing shows yet; ``changed`` ones bring the documents that show them.
    """
    keys = set(added)
    changed = set(changed)
    if changed:
        keys |= changed | _dependents(session.connection(), changed)
    keys = {k for k in keys if k[0] in DOCUMENT_KINDS}
    if keys:
        session.info.setdefault(_CHANGED, set()).update(keys)


def _before_commit(session: OrmSession) -> None:
    """Count the versions and write the change-log entries of everything the transaction changed, at once.

    Once per transaction, at its end, in one sorted pass: two transactions lock the version rows they
    share in the same order, then the log's head, and hold them only while they commit, so they cannot
    deadlock on them.
    """
    session.flush()  # the last changes, so that their keys are collected too
    keys = session.info.pop(_CHANGED, set())
    if keys:
        conn = session.connection()
        now = utcnow()
        bumped = versions.bump(conn, keys)
        first = log.reserve(conn, len(bumped))
        conn.execute(IndexChange.__table__.insert(),
                     [{"id": first + n, "doc_kind": kind, "object_id": object_id, "version": version,
                       "created_at": now} for n, ((kind, object_id), version) in enumerate(sorted(bumped.items()))])
    revision.count(session)  # last: after the version rows, in every writer


def _after_rollback(session: OrmSession, previous_transaction=None) -> None:
    if previous_transaction is not None and previous_transaction.nested:
        return  # a savepoint: what was flushed before it stays (its own keys too: one more write, harmless)
    session.info.pop(_PENDING, None)
    session.info.pop(_CHANGED, None)
    revision.forget(session)


def _after_transaction_end(session: OrmSession, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended (a close without commit too)
        _after_rollback(session)


def install() -> None:
    """Listen to every ORM session's flushes and commits (once per process, whatever the number of apps)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush),
                           ("before_commit", _before_commit), ("after_soft_rollback", _after_rollback),
                           ("after_transaction_end", _after_transaction_end),
                           ("do_orm_execute", revision.mark_statement)):
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)

"""Co-built tools: proposing, editing and publishing them, their files in versions, what people find."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, select

from kb import policy
from kb.errors import DomainError
from kb.forms.tools import ToolInput
from kb.models import Tool, ToolFile, ToolSession, WorkshopSession
from kb.policy import Viewer
from kb.services import lock_for_change
from kb.services.catalog import linkable_actions
from kb.services.moderation import moderators, tell
from kb.storage import DirectoryStorage
from kb.uploads import UploadRefused, as_utf8, extract_text, inspect


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: the name the browser gave and its bytes."""

    filename: str
    data: bytes


def published(session: Session) -> list[Tool]:
    """Published tools, by title."""
    return list(session.exec(select(Tool).where(Tool.publication_status == "publiee").order_by(Tool.title)))


def proposed_by(session: Session, account_id: int | None) -> list[Tool]:
    """The tools an account proposed, published or not (her list, and « Mes données »)."""
    if account_id is None:
        return []
    return list(session.exec(select(Tool).where(Tool.proposed_by_id == account_id).order_by(Tool.title)))


def latest_files(session: Session, hits) -> dict[str, ToolFile]:
    """For the tools among search hits, the file whose words were searched (its latest approved version)."""
    ids = [int(hit.doc_id.split(":", 1)[1]) for hit in hits if hit.kind == "tool" and ":" in hit.doc_id]
    found: dict[str, ToolFile] = {}
    for tool in session.exec(select(Tool).where(Tool.id.in_(ids))) if ids else []:
        latest = tool.latest()
        if latest is not None:
            found[f"tool:{tool.id}"] = latest
    return found


def used_in_session(session: Session, meeting: WorkshopSession) -> list[Tool]:
    """The published tools used or presented in a workshop session."""
    return list(session.exec(select(Tool).join(ToolSession, ToolSession.tool_id == Tool.id)
                             .where(ToolSession.session_id == meeting.id, Tool.publication_status == "publiee")
                             .order_by(Tool.title)))


def waiting(session: Session) -> tuple[list[Tool], list[ToolFile]]:
    """What the team has to decide: proposed tools, and new versions of published ones."""
    tools = list(session.exec(select(Tool).where(Tool.publication_status == "en_attente").order_by(Tool.id)))
    files = list(session.exec(select(ToolFile).join(Tool).where(ToolFile.approved.is_(False),
                                                                Tool.publication_status == "publiee")
                              .order_by(ToolFile.id)))
    return tools, files


def _linked(session: Session, data: ToolInput, tool: Tool, actor: Viewer) -> None:
    offered = {a.id: a for a in linkable_actions(session, actor)}
    keep = [a for a in tool.actions if a.id not in offered]  # links to actions the form does not offer stay
    tool.actions = keep + [offered[i] for i in dict.fromkeys(data.action_ids) if i in offered]
    if policy.is_moderator(actor):
        tool.sessions = list(session.exec(select(WorkshopSession).where(WorkshopSession.id.in_(data.session_ids)))) \
            if data.session_ids else []


def save_tool(session: Session, data: ToolInput, actor: Viewer, storage: DirectoryStorage, max_bytes: int,
              tool: Tool | None = None, upload: Upload | None = None) -> Tool:
    """Propose (a professional: it waits for the team) or publish (the team) a tool, or change one."""
    new = tool is None
    if new and upload is None:
        raise DomainError("Joignez le fichier de l'outil.", field="file")
    if not new:
        lock_for_change(session, tool, "Cet outil")
    tool = tool or Tool(title=data.title, kind=data.kind, description=data.description,
                        proposed_by_id=actor.user_id,
                        publication_status="publiee" if policy.is_moderator(actor) else "en_attente")
    tool.title, tool.kind, tool.description = data.title, data.kind, data.description
    tool.co_building, tool.partners, tool.licence = data.co_building, data.partners, data.licence
    _linked(session, data, tool, actor)
    session.add(tool)
    session.flush()
    if upload is not None:
        add_file(session, tool, upload, actor, storage, max_bytes, data.version_note)
    if new and tool.publication_status == "en_attente":
        tell(session, moderators(session), "Un outil attend votre validation",
             f"« {tool.title} » a été proposé ; il attend dans la file de modération.")
    return tool


def add_file(session: Session, tool: Tool, upload: Upload, actor: Viewer, storage: DirectoryStorage,
             max_bytes: int, note: str = "") -> ToolFile:
    """Store a new version of the tool's file (checked from its content) with the words it holds."""
    try:
        checked = inspect(upload.filename, upload.data, max_bytes)
    except UploadRefused as exc:
        raise DomainError(str(exc), field="file") from exc
    # Two uploads to one tool take turns on its row, so each gets the next version number.
    session.execute(update(Tool).where(Tool.id == tool.id).values(kind=Tool.kind)
                    .execution_options(synchronize_session=False))
    version = (session.exec(select(func.max(ToolFile.version)).where(ToolFile.tool_id == tool.id)).one() or 0) + 1
    # Only the team's files are shown at once: any other waits until a team member has seen it (with the tool it
    # comes with, or on its own once the tool is published), so a file cannot be swapped after review.
    approved = policy.is_moderator(actor)
    data = as_utf8(upload.data) if checked.kind == "txt" else upload.data
    tool_file = ToolFile(tool_id=tool.id, version=version, filename=checked.filename, kind=checked.kind,
                         mimetype=checked.mimetype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                         storage_key=storage.save(session, data), text=extract_text(checked.kind, data), note=note,
                         uploaded_by_id=actor.user_id, approved=approved)
    session.add(tool_file)
    session.flush()
    session.refresh(tool, ["files"])
    if not approved and tool.publication_status == "publiee":
        tell(session, moderators(session), "Une nouvelle version d'outil attend votre validation",
             f"« {tool.title} » : version {version} ({checked.filename}).")
    return tool_file


def decide_tool(session: Session, tool: Tool, approve: bool, actor: Viewer, comment: str, seen_file_id: int) -> None:
    """Publish a proposed tool with the files the team saw (up to `seen_file_id`), or send it back as a draft."""
    if tool.publication_status != "en_attente":
        raise DomainError("Cet outil n'attend plus de validation.")
    if not approve and not comment.strip():
        raise DomainError("Expliquez le refus dans le commentaire.", field="comment")
    if approve:
        for tool_file in tool.files:  # a file sent after the page was shown waits for its own decision
            if tool_file.id <= seen_file_id:
                tool_file.approved = True
                session.add(tool_file)
    tool.publication_status = "publiee" if approve else "brouillon"
    session.add(tool)
    session.flush()
    if tool.proposed_by is not None:
        tell(session, [tool.proposed_by], f"Votre outil {'est publié' if approve else 'est à reprendre'}",
             f"« {tool.title} » {'est publié' if approve else 'vous est renvoyé en brouillon'}."
             + (f"\n\nCommentaire : {comment.strip()}" if comment.strip() else ""))


def decide_file(session: Session, tool_file: ToolFile, approve: bool, actor: Viewer,
                storage: DirectoryStorage) -> None:
    """Approve a new version of a published tool, or refuse it (the version is removed)."""
    if tool_file.approved:
        raise DomainError("Cette version est déjà publiée.")
    if approve:
        tool_file.approved = True
        session.add(tool_file)
    else:
        storage.discard(session, tool_file.storage_key)
        session.delete(tool_file)
    session.flush()


def submit(session: Session, tool: Tool, actor: Viewer) -> None:
    """Send a draft back to the team's queue."""
    if tool.publication_status != "brouillon":
        raise DomainError("Cet outil n'est pas un brouillon.")
    tool.publication_status = "en_attente"
    session.add(tool)
    session.flush()
    tell(session, moderators(session), "Un outil attend votre validation",
         f"« {tool.title} » a été repris ; il attend dans la file de modération.")

"""File storage behind one small interface: a directory backend (which may be a shared mount).

Files are stored under a generated key (never a name typed by a user). A file written during a
transaction that rolls back is removed again, so a failed upload leaves nothing behind; the
database row that names a key is the truth, as for the search index.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, current_app, request
from sqlalchemy import event
from sqlmodel import Session


class DirectoryStorage:
    """Files in one directory, sharded by the first two characters of their key."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError(f"Not a storage key: {key!r}")
        return self.root / key[:2] / key

    def save(self, session: Session, data: bytes) -> str:
        """Write `data` under a new key; removed again if the session's transaction rolls back."""
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # readers never see half a file
        session.info.setdefault("written_files", []).append(path)
        return key

    def discard(self, session: Session, key: str) -> None:
        """Remove the file of `key` once the session's transaction commits (never before: it may roll back)."""
        session.info.setdefault("discarded_files", []).append(self._path(key))

    def read(self, key: str) -> bytes:
        """The bytes stored under `key`."""
        return self._path(key).read_bytes()

    def path(self, key: str) -> Path:
        """Where the file of `key` lives (for sending it)."""
        return self._path(key)


def get_storage(app: Flask | None = None) -> DirectoryStorage:
    """The app's file storage."""
    return (app or current_app).extensions["kb_storage"]


def _forget_committed(session, *_args) -> None:
    session.info.pop("written_files", None)
    for path in session.info.pop("discarded_files", []):
        Path(path).unlink(missing_ok=True)


def _remove_rolled_back(session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint: the outer transaction may still commit
        return
    session.info.pop("discarded_files", None)
    for path in session.info.pop("written_files", []):
        Path(path).unlink(missing_ok=True)


# Forms that carry a file: they may be larger than other forms (KB_UPLOAD_MAX_MB).
UPLOAD_ENDPOINTS = frozenset({"tools.create", "tools.edit", "tools.add_version", "imports.upload"})


def _upload_limit() -> None:
    # Up to twice the file limit reaches the view, which refuses an oversized file with its French message next
    # to the field; beyond that, the French 413 page. Set before the CSRF check reads the form.
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = 2 * current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024 + 1024 * 1024


def init_app(app: Flask) -> None:
    """Open the storage configured by KB_FILES_DIR (default: <instance>/files); let uploads through."""
    app.extensions["kb_storage"] = DirectoryStorage(app.config["FILES_DIR"])
    app.before_request(_upload_limit)
    if not event.contains(Session, "after_commit", _forget_committed):
        event.listen(Session, "after_commit", _forget_committed)
        event.listen(Session, "after_soft_rollback", _remove_rolled_back)

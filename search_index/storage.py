"""The index directory: generations of whoosh indexes, the one in use, and the lock every writer takes.

Layout of the directory given to ``SearchIndex``::

    write.lock          flock()ed by whoever writes; never deleted, so every process locks the same file
    CURRENT             the name of the generation in use, replaced atomically (os.replace)
    gen-<time>-<hex>/   one whoosh index each

Why generations: a rebuild writes a fresh directory that no reader has open, then points ``CURRENT``
at it. Rewriting the live index under the readers of other processes (whoosh deletes the files of
replaced segments) was the one path where worker processes crashed. Readers follow ``CURRENT`` at
their next search; the previous generation is kept until the next swap so that a search running
during the swap ends on the files it opened.

Why a lock of our own rather than whoosh's ``MAIN_WRITELOCK``: whoosh's lock file lives in the
generation's directory, so two writers could each lock a different generation around a swap.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

GENERATION = re.compile(r"gen-\d{14}-[0-9a-f]{8}")
BUILDING = "BUILDING"  # flock()ed inside a generation while a rebuild writes it
_WHOOSH_FILE = re.compile(r"_?MAIN_.*")  # files of an index written directly in the directory (before generations)


def reading(open_files: Callable):
    """Open the index's current files, retrying when a concurrent commit removed them meanwhile.

    Readers take no lock: between listing the directory and opening the newest table of contents,
    another process's commit may write a newer one and delete it (FileNotFoundError). The newer
    generation is then complete on disk, so listing again succeeds.
    """
    for attempt in range(50):
        try:
            return open_files()
        except FileNotFoundError:
            if attempt == 49:
                raise
            time.sleep(0.01)


class LockTimeout(Exception):
    """The write lock stayed taken past the timeout."""


class IndexDirectory:
    """Generations, the pointer to the current one, and the cross-process write lock of one directory."""

    def __init__(self, root: str | os.PathLike, lock_timeout: float) -> None:
        """Use ``root`` (created if missing)."""
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.lock_timeout = lock_timeout
        self._guard = threading.RLock()  # threads of this process; flock() serialises processes
        self._fd: int | None = None
        self._depth = 0

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock (re-entrant in this process); raise ``LockTimeout`` past the timeout."""
        with self._guard:
            if self._depth == 0:
                self._fd = self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    fd, self._fd = self._fd, None
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)

    def _acquire(self) -> int:
        fd = os.open(self.root / "write.lock", os.O_CREAT | os.O_RDWR, 0o644)
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
            if time.monotonic() > deadline:
                os.close(fd)
                raise LockTimeout
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def current(self) -> str | None:
        """Name of the generation in use, or None before the first one."""
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name if GENERATION.fullmatch(name) else None

    def path(self, name: str) -> Path:
        """Directory of a generation."""
        return self.root / name

    def new_generation(self) -> str:
        """Create an empty directory for a new generation and return its name."""
        name = f"gen-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
        self.path(name).mkdir()
        return name

    @contextmanager
    def building(self, name: str) -> Iterator[None]:
        """Hold a generation as being written: ``prune`` leaves it alone until the writer lets go.

        Two rebuilds may overlap (an operator's, a start-up's): the first to swap used to prune the
        other's generation while it was still being written. The flock() on ``BUILDING`` goes with its
        process, so the generation of a rebuild killed midway becomes prunable again.
        """
        fd = os.open(self.path(name) / BUILDING, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _being_built(self, directory: Path) -> bool:
        try:
            fd = os.open(directory / BUILDING, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.EACCES):
                return True
            raise
        finally:
            os.close(fd)
        return False

    def switch(self, name: str) -> str | None:
        """Make ``name`` the generation in use (hold the lock); return the one it replaces."""
        previous = self.current()
        temporary = self.root / f"CURRENT.{os.getpid()}.{uuid.uuid4().hex[:6]}"
        temporary.write_text(name + "\n")
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / "CURRENT")
        return previous

    def discard(self, name: str) -> None:
        """Remove a generation that never became current (a rebuild that failed)."""
        shutil.rmtree(self.path(name), ignore_errors=True)

    def prune(self, keep: set[str]) -> None:
        """Remove every generation but ``keep`` and those being written, and whoosh files left in the
        directory by older versions."""
        for entry in self.root.iterdir():
            if (entry.is_dir() and GENERATION.fullmatch(entry.name) and entry.name not in keep
                    and not self._being_built(entry)):
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.is_file() and _WHOOSH_FILE.fullmatch(entry.name):
                entry.unlink(missing_ok=True)

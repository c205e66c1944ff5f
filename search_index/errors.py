"""The errors the app should handle: the index is busy (retry later) or from another schema (rebuild)."""

from __future__ import annotations

from pathlib import Path


class SearchIndexError(Exception):
    """Base class of the errors the app should handle."""


class IndexBusy(SearchIndexError):
    """Another process held the write lock past the timeout: retry later."""

    def __init__(self, path: Path, timeout: float) -> None:
        super().__init__(f"L'index de recherche est occupé par une autre écriture depuis plus de {timeout:g} s : "
                         f"réessayez plus tard ({path}).")


class IndexOutdated(SearchIndexError):
    """The index on disk was written by another version of the schema: rebuild it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"L'index de recherche ({path}) date d'une version précédente : reconstruisez-le.")

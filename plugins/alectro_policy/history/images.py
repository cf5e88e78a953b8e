"""Past editions' own pictures as they were at their commits, read from git once per build."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path

from . import git
from .editions import DocumentEditions, Edition


class EditionImages:
    """The bytes of the pictures the editions show, by git object id: one git process for all of them."""

    def __init__(self, root: Path | None, editions: Iterable[Edition]):
        self._root = root
        ids = sorted({oid for edition in editions for _, oid in edition.images if oid})
        self._blobs = git.blobs(root, ids) if root is not None and ids else {}

    def reader(self, history: DocumentEditions, edition: Edition) -> Callable[[str], bytes | None]:
        """Return what reads a file of docs/ (a path relative to it) as it was at ``edition``'s commit of
        ``history``'s document: its bytes, or None where the commit does not have it."""
        git_docs = history.source_path[: -len(history.path)]
        image_ids = dict(edition.images)

        def read(path: str) -> bytes | None:
            # As it was at the edition's commit: a later change or removal leaves the copy as published.
            repository_path = posixpath.normpath(git_docs + path)
            oid = image_ids.get(repository_path)
            if oid is not None and oid in self._blobs:
                return self._blobs[oid]
            if self._root is None:
                return None
            return git.files_at_commits(self._root, [(edition.commit, repository_path)])[0]

        return read

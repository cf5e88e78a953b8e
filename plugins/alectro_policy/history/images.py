"""Past editions' own pictures as they were at their commits, read from git once per build."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable

from .editions import DocumentEditions, Edition
from .repository import Repository


class EditionImages:
    """The bytes of the pictures the editions show, by git object id, read through the build's repository."""

    def __init__(self, repository: Repository | None, editions: Iterable[Edition]):
        self._repository = repository
        ids = sorted({oid for edition in editions for _, oid in edition.images if oid})
        found = zip(ids, repository.blobs(ids), strict=True) if repository is not None else ()
        self._blobs = {oid: content for oid, content in found if content is not None}

    def reader(self, history: DocumentEditions, edition: Edition) -> Callable[[str], bytes | None]:
        """Return what reads a file of docs/ (a path relative to it) as it was at ``edition``'s commit of
        ``history``'s document: its bytes, or None where the commit does not have it."""
        git_docs = history.docs_prefix
        image_ids = dict(edition.images)

        def read(path: str) -> bytes | None:
            # As it was at the edition's commit: a later change or removal leaves the copy as published.
            repository_path = posixpath.normpath(git_docs + path)
            oid = image_ids.get(repository_path)
            if oid is not None and oid in self._blobs:
                return self._blobs[oid]
            if self._repository is None:
                return None
            return self._repository.file_at(edition.commit, repository_path)

        return read

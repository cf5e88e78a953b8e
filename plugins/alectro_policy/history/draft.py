"""The documents as they are now, in the work tree: each one's file, and the draft it would make.

The last step of ``read_editions``: after a document's editions, what publishing it now would add (uncommitted
edits, and on a branch previewed against main the branch's commits), with what those commits say of it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..text.document_text import FrontMatterError
from .editions import Edition, EditionError, pending_edition
from .line import Line
from .main_line import ArrivalMessage, arrival_message
from .repository import Repository
from .states import own_image_paths, text_changes


@dataclass(frozen=True)
class Working:
    """A document's file as it is now in the work tree."""

    source_path: str
    """Its path relative to the repository's top (outside git: under the docs folder, ``docs/index.md``)."""
    source: bytes
    images: tuple[tuple[str, str | None], ...]
    """Its own pictures as they are now: (path in the repository, the object id git would give it, or None)."""


def read_working(docs_dir: Path, documents: list[str], repository: Repository | None) -> dict[str, Working]:
    """Return each listed document's file as it is now, with its pictures (one ``git hash-object`` for all).
    Raises ``EditionError`` for a listed file that does not exist, or is a symbolic link (its editions would be
    the link's), or lies in a git submodule."""
    prefix = f"{docs_dir.name}/" if repository is None else repository.docs_prefix(docs_dir)
    sources = {document: _working_source(docs_dir, document) for document in documents}
    if repository is not None:
        for document in documents:
            _refuse_submodule(repository, docs_dir, document)
    shown = {d: own_image_paths(prefix + d, source) for d, source in sources.items()}
    asked = [path for paths in shown.values() for path in paths]
    ids = iter(repository.working_object_ids(asked) if repository is not None else [None] * len(asked))
    return {d: Working(prefix + d, sources[d], tuple((path, next(ids)) for path in shown[d])) for d in documents}


def _working_source(docs_dir: Path, document: str) -> bytes:
    path = docs_dir / document
    # Named by the site's own docs_dir (docs/, Policies/…), as the editor sees it.
    shown = f"{docs_dir.name}/{document}"
    if not path.is_file():
        raise EditionError(
            f"the plugin option 'documents' lists '{document}', but {shown} does not exist: "
            f"list the Markdown files of {docs_dir.name}/ that are policy documents (paths relative to it)"
        )
    if path.resolve().parent != docs_dir.resolve() / Path(document).parent or path.is_symlink():
        raise EditionError(
            f"{shown} is a symbolic link (or lies behind one): its editions would be the link's, not the text's. "
            f"Put the document itself in {docs_dir.name}/ (replace the link by the file: "
            f"'cp --remove-destination \"$(readlink -f {shown})\" {shown}') and commit it"
        )
    return path.read_bytes()


def _refuse_submodule(repository: Repository, docs_dir: Path, document: str) -> None:
    """Raise ``EditionError`` when ``document`` lies in another git repository than the site's own folder (the
    one holding ``docs_dir``): a submodule, whose commits are not the site's. A site that is itself a submodule
    of a larger repository is fine. Read from the work tree (a folder with its own ``.git``), with no git process."""
    # Up to the site's repository's top: docs_dir may be that top itself (its .git is the site's own, not a submodule).
    top = repository.root.resolve()
    folder = (docs_dir / document).parent.resolve()
    while folder != top and folder.is_relative_to(top):
        if (folder / ".git").exists():
            where = folder.relative_to(repository.root.resolve()).as_posix()
            raise EditionError(
                f"{docs_dir.name}/{document} is inside the git submodule {where}/: "
                f"its history is the submodule's, not the site's, and its commits would become editions. Keep "
                f"policy documents in the site's own repository: copy the file out of the submodule (or replace the "
                f"submodule by its files) and commit it"
            )
        folder = folder.parent


def draft_message(repository: Repository, line: Line, source_path: str) -> ArrivalMessage | None:
    """What the commits the checked-out work brings (``line.brought``) say of the document at ``source_path`` as
    one arrival merged with git's or a forge's message, as ``make changes`` and ``make serve`` show it; None
    without such commits. Not editorial while the document has uncommitted edits: they carry no trailer."""
    if not line.brought:
        return None
    changes_text = text_changes(repository, line.head_graph, source_path)
    commit_of = {commit.sha: commit for commit in line.head_graph}.get  # a revert names the commit it undoes
    message = arrival_message(line.brought, changes_text, merged=True, commit_of=commit_of)
    if message.editorial and repository.has_uncommitted_changes(source_path):
        return replace(message, editorial=False, listed_editorial=False)
    return message


def draft(
    editions: tuple[Edition, ...], working: Working, today: date, message: ArrivalMessage | None
) -> Edition | None:
    """The document as it is now (``working``) as the edition it would make after ``editions``, pictures
    included; its summary and mark what ``message`` (``draft_message``) says. None when a reader would see no
    change. Raises ``EditionError`` for a file that is not UTF-8 or has malformed front matter."""
    summary, editorial = (message.summary, message.editorial) if message else ("", False)
    try:
        return pending_edition(editions, working.source, working.images, today, summary, editorial)
    except FrontMatterError as error:
        raise EditionError(f"{working.source_path} (as it is now, not yet committed): {error}. Fix the file") from None
    except UnicodeDecodeError:
        raise EditionError(
            f"{working.source_path} (as it is now) is not UTF-8 text (an editor saved it in another encoding, such "
            f"as Windows-1251): save it as UTF-8 (in the editor's 'Save as…', encoding UTF-8) and build again"
        ) from None

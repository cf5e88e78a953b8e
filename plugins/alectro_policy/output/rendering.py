"""What the plugin renders itself with Jinja: the edition stamp under a page's title, the consent banner, the
Atom feed; and where the stamp goes in a page.

Templates travel with the package (``templates/``, ``consent/templates/``); autoescaping is on everywhere.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Hashable
from types import CodeType
from zoneinfo import ZoneInfo

from jinja2 import BytecodeCache, ChoiceLoader, Environment, PackageLoader, select_autoescape
from jinja2.bccache import Bucket

from .. import urls
from ..dates import long_date
from ..history.editions import DocumentEditions
from ..text.plain import displayable
from .publication import feed_title, feed_updates

_FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process. Jinja compiles a template anew for each environment, and MkDocs makes a
    new one for every build: the theme's templates were two thirds of a small site's build, and recompiled at every
    save under ``mkdocs serve``. A template's code is kept under its name and file and what of its environment
    decides how it compiles (delimiters, whitespace options, extensions, its autoescaping, the filters and tests
    constant folding may call); Jinja's checksum of the source drops it when the file changes."""

    def __init__(self, size: int = 512):
        self._code: OrderedDict[Hashable, tuple[str, CodeType]] = OrderedDict()
        self._size = size

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = _Bucket(environment, _compiled_as(environment, name, filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        assert isinstance(bucket, _Bucket)
        kept = self._code.get(bucket.compiled_as)
        if kept is not None and kept[0] == bucket.checksum:
            self._code.move_to_end(bucket.compiled_as)
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        assert isinstance(bucket, _Bucket) and bucket.code is not None
        self._code[bucket.compiled_as] = (bucket.checksum, bucket.code)
        self._code.move_to_end(bucket.compiled_as)
        while len(self._code) > self._size:
            self._code.popitem(last=False)


class _Bucket(Bucket):
    def __init__(self, environment: Environment, compiled_as: Hashable, checksum: str):
        super().__init__(environment, "", checksum)
        self.compiled_as = compiled_as


def _compiled_as(environment: Environment, name: str, filename: str | None) -> Hashable:
    """What decides the code Jinja compiles ``name`` (read from ``filename``) into in ``environment``."""
    escape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
    return (
        name,
        filename,
        *(getattr(environment, option) for option in _OPTIONS),
        bool(escape),
        tuple(sorted(environment.extensions)),
        tuple((key, _function(f)) for key, f in sorted(environment.filters.items())),
        tuple((key, _function(f)) for key, f in sorted(environment.tests.items())),
        repr(sorted(environment.policies.items())),
    )


_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async", "finalize", "code_generator_class",
)  # fmt: skip


def _function(function) -> Hashable:
    """A filter or test as constant folding would call it: its name, and the values a closure or its defaults hold
    (a filter made per build: ``feed_updates`` of a time zone); the function itself when they are not hashable."""
    try:
        cells = tuple(cell.cell_contents for cell in getattr(function, "__closure__", None) or ())
        named = (
            getattr(function, "__module__", None),
            getattr(function, "__qualname__", None),
            cells,
            getattr(function, "__defaults__", None),
            tuple(sorted((getattr(function, "__kwdefaults__", None) or {}).items())),
        )
        hash(named)
    except (TypeError, ValueError):  # unhashable values, an empty cell
        return function
    return named if named[1] is not None else function


COMPILED = CompiledTemplates()
"""The process's compiled templates: the plugin's own environment and the theme's (``PolicyPlugin.on_env``)."""


def templates(zone: ZoneInfo) -> Environment:
    """Return the Jinja environment of the plugin's own templates, with their filters (dates in ``zone``)."""
    environment = Environment(
        loader=ChoiceLoader(
            [PackageLoader("alectro_policy", "templates"), PackageLoader("alectro_policy.consent", "templates")]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=False,
        bytecode_cache=COMPILED,
    )
    environment.filters["long_date"] = long_date
    # XML 1.0 forbids control characters: policy text and settings reach the feed through this filter.
    environment.filters["displayable"] = displayable
    environment.filters["feed_updates"] = lambda document: feed_updates(document, zone)
    environment.filters["feed_title"] = feed_title
    environment.filters["web_path"] = urls.web_path
    return environment


def stamped(environment: Environment, html: str, page_url: str, history: DocumentEditions, preview: bool) -> str:
    """Return the page ``html`` of the document ``history`` (its page at ``page_url``, as ``urls.page_url`` gives
    it) with its edition stamp right after its first ``</h1>``, or first when it has no title. ``preview``: the
    draft's changes have a page to link to."""
    draft_page = urls.draft_url(page_url)
    stamp = environment.get_template("stamp.html").render(
        current=history.current,
        draft=history.draft,
        history_url=urls.relative(page_url, urls.history_url(page_url)),
        draft_changes_url=urls.relative(page_url, draft_page) if preview else None,
    )
    html, found = _FIRST_H1_END.subn(lambda match: match.group(0) + stamp, html, count=1)
    return html if found else stamp + html

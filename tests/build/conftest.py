"""Fixtures of the build tests."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from mkdocs.exceptions import Abort


@pytest.fixture
def refused(caplog):
    """Return ``check(build, pattern=None)``: it asserts that ``build()`` stops (MkDocs' ``Abort``) and returns the
    message that stopped it: the first error or warning (``--strict`` stops on warnings) matching ``pattern``, or,
    without a pattern, the first error."""

    def check(build: Callable[[], object], pattern: str | None = None) -> str:
        caplog.clear()
        with pytest.raises(Abort):
            build()
        levels = ("ERROR",) if pattern is None else ("ERROR", "WARNING")
        messages = [record.getMessage() for record in caplog.records if record.levelname in levels]
        found = [message for message in messages if pattern is None or re.search(pattern, message)]
        assert found, caplog.text
        return found[0]

    return check

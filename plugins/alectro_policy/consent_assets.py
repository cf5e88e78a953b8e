"""The banner's JavaScript and CSS as shipped: minified, with a version for their URLs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

ASSETS_DIR = "assets/alectro-policy"
"""Where the banner's script and stylesheet are written, relative to the site's root."""


@dataclass(frozen=True)
class Assets:
    js: str
    css: str

    @property
    def version(self) -> str:
        """A short hash of both files, appended to their URLs so browsers fetch a new build's files."""
        return hashlib.sha256((self.js + self.css).encode()).hexdigest()[:10]


def load_assets() -> Assets:
    """Return ``assets/consent.js`` and ``assets/consent.css`` as shipped: minified by :func:`minify`."""
    folder = resources.files("alectro_policy") / "assets"
    js = (folder / "consent.js").read_text(encoding="utf-8")
    css = (folder / "consent.css").read_text(encoding="utf-8")
    return Assets(js=minify(js, "js"), css=minify(css, "css"))


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_SPACE = re.compile(r"\s*([{};,>])\s*|(:)\s+")


def minify(source: str, kind: str) -> str:
    """Return ``source`` without comments, indentation and blank lines.

    Deliberately simple, hence safe for sources written for it: JavaScript keeps its line breaks
    (no change to automatic semicolon insertion) and loses ``/* */`` blocks and whole-line ``//``
    comments only; CSS also loses the spaces around ``{ } ; , >`` and after ``:`` (not before:
    ``.banner :focus-visible`` is not ``.banner:focus-visible``).
    """
    text = _BLOCK_COMMENT.sub("", source)
    lines = (line.strip() for line in text.splitlines())
    if kind == "js":
        return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"
    return _CSS_SPACE.sub(r"\1\2", " ".join(line for line in lines if line)).replace(";}", "}") + "\n"

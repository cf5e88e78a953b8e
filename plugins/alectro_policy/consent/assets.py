"""The banner's JavaScript and CSS as shipped: minified, with a version for the script's URL."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import rcssmin
import rjsmin

ASSETS_DIR = "assets/alectro-policy"
"""Where the banner's script is written, relative to the site's root (its CSS is inline: output.theme.style_element)."""


@dataclass(frozen=True)
class Assets:
    js: str
    css: str

    @property
    def version(self) -> str:
        """A short hash of the script, appended to its URL so browsers fetch a new build's script (the CSS is
        inline in every page, so it needs no version)."""
        return hashlib.sha256(self.js.encode()).hexdigest()[:10]


SCRIPT_PARTS = ("consent-cookie.js", "consent.js")
"""The banner's script in its source files, in order: the cookie's codec (pure functions, tested alone under
Node), then the banner; one closure of both is shipped."""


def load_assets() -> Assets:
    """Return the banner's script (``static/consent-cookie.js`` and ``static/consent.js`` in one closure) and
    ``static/consent.css`` as shipped: minified by :func:`minify`."""
    folder = resources.files("alectro_policy.consent") / "static"
    parts = [(folder / name).read_text(encoding="utf-8") for name in SCRIPT_PARTS]
    js = '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"
    css = (folder / "consent.css").read_text(encoding="utf-8")
    return Assets(js=minify(js, "js"), css=minify(css, "css"))


def minify(source: str, kind: str) -> str:
    """Return ``source`` (``kind`` ``"js"`` or ``"css"``) minified by rJSmin / rCSSmin: comments and needless
    whitespace gone, names and semantics kept (line breaks that automatic semicolon insertion needs stay)."""
    return (rjsmin.jsmin(source) if kind == "js" else rcssmin.cssmin(source)) + "\n"

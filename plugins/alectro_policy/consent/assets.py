"""The banner's JavaScript and CSS as shipped: minified, with a version for the script's URL."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

import rcssmin
from calmjs.parse import es5
from calmjs.parse.exceptions import ECMASyntaxError
from calmjs.parse.unparsers.es5 import minify_print

ASSETS_DIR = "assets/alectro-policy"
"""Where the banner's script is written, relative to the site's root (its CSS is inline: output.theme.style_element)."""


@dataclass(frozen=True)
class Assets:
    js: str
    css: str
    receipt_js: str = ""
    """The script that saves the visitor's receipt, loaded only when asked for (not part of the banner's weight)."""

    @property
    def version(self) -> str:
        """A short hash of the scripts, appended to their URLs so browsers fetch a new build's (the CSS is inline in
        every page, so it needs no version)."""
        return hashlib.sha256((self.js + self.receipt_js).encode()).hexdigest()[:10]


class AssetError(ValueError):
    """The banner's script is not JavaScript the minifier reads (ES5)."""


SCRIPT_PARTS = ("consent-cookie.js", "consent.js")
"""The banner's script in its source files, in order: the cookie's codec (pure functions, tested alone under
Node), then the banner; one closure of both is shipped."""
RECEIPT_PARTS = ("consent-cookie.js", "consent-receipt.js")
"""The receipt's script: the codec, then the receipt (loaded by the banner when the visitor asks for a receipt)."""


def load_assets() -> Assets:
    """Return the banner's script (``static/consent-cookie.js`` and ``static/consent.js`` in one closure,
    :func:`script`), ``static/consent.css`` and the receipt's script (the codec and ``static/consent-receipt.js``)
    as shipped: minified by :func:`minify`.

    Raises :class:`AssetError` naming the source file when a part of the script is not ES5."""
    folder = resources.files("alectro_policy.consent") / "static"
    js = script({name: (folder / name).read_text(encoding="utf-8") for name in SCRIPT_PARTS})
    receipt_js = script({name: (folder / name).read_text(encoding="utf-8") for name in RECEIPT_PARTS})
    css = (folder / "consent.css").read_text(encoding="utf-8")
    return Assets(js=js, css=minify(css, "css"), receipt_js=receipt_js)


def script(parts: Mapping[str, str]) -> str:
    """Return the script's ``parts`` (file name in ``consent/static/`` → source) in one closure, minified.

    Raises :class:`AssetError` naming the part the minifier cannot read, the line and column its own."""
    try:
        return minify('(function () {\n"use strict";\n' + "\n".join(parts.values()) + "})();\n", "js")
    except AssetError:
        for name, part in parts.items():
            # Each part alone in a closure of its own (consent.js returns early), its lines where they are.
            minify(f"(function () {{{part}\n}})();", "js", name=f"consent/static/{name}")
        raise


# Every build minifies the same sources (a tenth of a second of a small site's build for the script): one process
# (mkdocs serve, the tests) minifies each text once. A refusal (AssetError) is not kept, and says its name each time.
@functools.lru_cache(maxsize=8)
def minify(source: str, kind: str, *, name: str = "the banner's script") -> str:
    """Return ``source`` (``kind`` ``"js"`` or ``"css"``) minified.

    JavaScript is parsed and printed again by calmjs.parse: comments and needless whitespace gone, every local
    name shortened (the closure's too: the page sees only what the script puts on ``window``), semantics kept
    (automatic semicolon insertion is the parser's). CSS by rCSSmin, which keeps what selectors need.

    Raises :class:`AssetError` naming ``name`` when the JavaScript is not ES5 (``let``, ``const``, ``=>``,
    template strings): calmjs.parse reads ES5 only, which every browser the banner supports runs."""
    if kind == "css":
        return rcssmin.cssmin(source) + "\n"
    try:
        program = es5(source)
    except ECMASyntaxError as error:
        raise AssetError(
            f"{name}: {error}. The banner's script is written in ES5, which the build's minifier (calmjs.parse) "
            "reads: use var and function instead of let, const, => and template strings."
        ) from error
    return minify_print(program, obfuscate=True, obfuscate_globals=False, drop_semi=True) + "\n"

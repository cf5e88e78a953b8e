"""The banner's script and styles as shipped: minified safely, within 4 KB gzipped, versioned by the script."""

import gzip
import os
import re
import subprocess
import sys

import pytest

from alectro_policy.consent import assets as consent_assets


def test_minified_script_keeps_what_automatic_semicolon_insertion_and_selectors_need():
    js = "(function () {\n  // comment\n  var a = 1\n  var url = 'http://x' // kept?\n  return\n  a\n})();\n"
    minified = consent_assets.minify(js, "js")
    # `return` then `a` on the next line are two statements: `return a` would be another program.
    assert "comment" not in minified and "'http://x'" in minified and re.search(r"return;\w}", minified)
    css = ".a { color: red; }\n.banner :focus-visible { outline: 0 }\n"
    assert consent_assets.minify(css, "css") == ".a{color:red}.banner :focus-visible{outline:0}\n"


def test_minified_script_shortens_local_names_and_keeps_what_the_page_sees():
    js = (
        "(function () {\n  var settingsOfTheBanner = {categories: ['analytics']};\n"
        "  function categoryAllowed(category) { return settingsOfTheBanner.categories.indexOf(category) >= 0; }\n"
        "  window.alectroConsent = {has: categoryAllowed};\n})();\n"
    )
    minified = consent_assets.minify(js, "js")
    assert "settingsOfTheBanner" not in minified and "categoryAllowed" not in minified
    assert "window.alectroConsent={has:" in minified and ".categories.indexOf(" in minified


@pytest.mark.parametrize("syntax", ["const a = 1;", "var f = (x) => x;", "var s = `x`;", "let a = 1;"])
def test_a_script_the_minifier_cannot_read_names_the_file_and_the_fix(syntax):
    with pytest.raises(consent_assets.AssetError, match=r"^consent\.js: .*use var and function instead of let"):
        consent_assets.minify(f"(function () {{\n  {syntax}\n}})();", "js", name="consent.js")


def test_the_part_of_the_script_that_is_not_es5_is_named_with_its_own_line():
    parts = {"consent-cookie.js": "function checksum(text) { return text; }\n", "consent.js": "var a = 1;\nlet b;\n"}
    with pytest.raises(consent_assets.AssetError, match=r"^consent/static/consent\.js: Unexpected 'b' at 2:5 "):
        consent_assets.script(parts)


def test_banner_script_and_style_together_are_at_most_4_kb_gzipped():
    assets = consent_assets.load_assets()
    assert "alectroConsent" in assets.js and ".alectro-consent" in assets.css
    assert len(gzip.compress((assets.js + assets.css).encode(), 9)) <= 4096


def test_the_script_is_the_cookie_codec_and_the_banner_in_one_closure():
    js = consent_assets.load_assets().js
    assert js.startswith('(function(){"use strict";') and js.rstrip().endswith("})()")
    # The codec's functions are the closure's own, renamed by the minifier: none of them leaks to the page.
    assert "function checksum(" not in js and "window.checksum" not in js and "window.alectroConsent=" in js


def test_the_minified_script_is_the_same_in_every_build_whatever_python_s_hash_seed():
    code = "from alectro_policy.consent.assets import load_assets; print(load_assets().version)"
    versions = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        ).stdout
        for seed in ("1", "2")
    }
    assert len(versions) == 1 and versions != {""}


def test_the_script_s_url_changes_with_the_script_and_only_with_it():
    assert consent_assets.Assets("a", "c").version != consent_assets.Assets("b", "c").version
    assert consent_assets.Assets("a", "c").version == consent_assets.Assets("a", "d").version

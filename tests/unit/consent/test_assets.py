"""The banner's script and styles as shipped: minified safely, within 4.25 KB gzipped, versioned by the script."""

import gzip

from alectro_policy.consent import assets as consent_assets


def test_minified_script_keeps_what_automatic_semicolon_insertion_and_selectors_need():
    js = "(function () {\n  // comment\n  var a = 1\n  var url = 'http://x' // kept?\n  return\n  a\n})();\n"
    minified = consent_assets.minify(js, "js")
    assert "comment" not in minified and "'http://x'" in minified and "return\na" in minified
    css = ".a { color: red; }\n.banner :focus-visible { outline: 0 }\n"
    assert consent_assets.minify(css, "css") == ".a{color:red}.banner :focus-visible{outline:0}\n"


def test_banner_script_and_style_together_are_at_most_4_25_kb_gzipped():
    assets = consent_assets.load_assets()
    assert "alectroConsent" in assets.js and ".alectro-consent" in assets.css
    # 4,096 until the proof of consent (issue 17) added the kept ID, the banner text's hash, the __Host- name and
    # the erasing of every path: 4,276 then.
    assert len(gzip.compress((assets.js + assets.css).encode(), 9)) <= 4352


def test_the_script_is_the_cookie_codec_and_the_banner_in_one_closure():
    js = consent_assets.load_assets().js
    assert js.startswith("(function(){") and js.rstrip().endswith("})();")
    assert js.index("function checksum(") < js.index("function save(")
    assert "window.checksum" not in js


def test_the_script_s_url_changes_with_the_script_and_only_with_it():
    assert consent_assets.Assets("a", "c").version != consent_assets.Assets("b", "c").version
    assert consent_assets.Assets("a", "c").version == consent_assets.Assets("a", "d").version

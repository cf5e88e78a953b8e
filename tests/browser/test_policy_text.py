"""The policy's text in Chromium.

Its URLs resolve as we decided, nothing from it runs, nothing leaves for another host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from alectro_policy.text.safe_links import LINK_PROTOCOLS, is_own_image, is_safe_link, resolve
from support import MINIMAL_CONFIG, GitRepo

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def blank_page(tmp_path_factory, serve_under_privacy):
    site = tmp_path_factory.mktemp("blank")
    (site / "index.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    return serve_under_privacy(site)


@pytest.fixture(scope="module")
def page_on(browser, blank_page):
    context = browser.new_context()
    page = context.new_page()
    page.goto(blank_page)
    yield page
    context.close()


def _mixed(word: str):
    """``word`` in any mix of cases, with tabs and newlines (which URL parsing drops) between its letters."""
    letters = (st.tuples(st.sampled_from([c.lower(), c.upper()]), st.sampled_from(["", "", "\t", "\n"])) for c in word)
    return st.tuples(*letters).map(lambda parts: "".join(a + b for a, b in parts))


_EDGE = st.text(alphabet="".join(map(chr, range(0x21))) + "\x7f", max_size=2)
_SCHEME = st.one_of(
    st.just(""),
    st.builds(
        lambda word: word + ":",
        st.sampled_from(
            ["javascript", "http", "https", "data", "mailto", "tel", "file", "vbscript", "blob", "ftp", "ws"]
        ).flatmap(_mixed),
    ),
)
_SLASHES = st.lists(st.sampled_from(["/", "\\", "%2F", "%5C", "\t/"]), max_size=4).map("".join)
_HOST = st.sampled_from(
    [
        "evil.example",
        "EVIL.example",
        "%65vil.example",
        "user@evil.example",
        "127.0.0.1",
        "[::1]",
        "evil.example:8080",
        "",
        ".",
        "..",
    ]
)
_PATH = st.sampled_from(["/a.png", "a.png", "", "?q", "#f", "/../x", " /a b.png", ":alert(1)", ",<svg>"])
SPELLINGS = st.one_of(
    st.builds(lambda *parts: "".join(parts), _EDGE, _SCHEME, _SLASHES, _HOST, _PATH, _EDGE),
    st.text(alphabet="/\\:.%#?@ \t\nabcjJ01", max_size=16),
)


# No shrinking: a failure lists every spelling on which we and Chromium differ, and shrinking a batch is slow.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(SPELLINGS, min_size=200, max_size=200))
def test_our_decision_on_a_url_agrees_with_how_chromium_resolves_it(page_on, spellings):
    # The page we are on, and the same site served over https elsewhere: "http:/x" is relative on the one
    # and another host on the other, so an own image must stay on the page's origin on both.
    bases = [page_on.url, "https://own-site.invalid/privacy/editions/1/"]
    seen = page_on.evaluate(
        """([spellings, bases]) => spellings.map(s => bases.map(base => {
            try { const u = new URL(s, base); return [u.protocol, u.origin]; } catch (e) { return null; }
        }))""",
        [spellings, bases],
    )
    origins = [f"{urlsplit(base).scheme}://{urlsplit(base).netloc}" for base in bases]
    differ = []
    for spelling, chromium in zip(spellings, seen, strict=False):
        ours = []
        for base, theirs in zip(bases, chromium, strict=False):
            resolved = resolve(spelling, base)
            ours.append(None if resolved is None else [resolved.protocol, resolved.origin])
            if resolved and resolved.protocol == "file:":
                # Chromium parts from the standard on file: URLs (origin "file://", not "null"; it refuses some
                # spellings with a host): neither an own image nor a link either way, so only the decisions count.
                ours[-1] = theirs
        own = all(theirs is not None and theirs[1] == origin for theirs, origin in zip(chromium, origins, strict=False))
        safe = chromium[0] is not None and chromium[0][0] in LINK_PROTOCOLS
        decided = (is_own_image(spelling), is_safe_link(spelling))
        if None in ours and ours != chromium:
            # Chromium accepts a few hosts the standard refuses ("http://..%20" from "\\//.. /a"): we refuse them
            # too, so we may be stricter than Chromium there, never more lenient.
            agree = (
                all(o == c for o, c in zip(ours, chromium, strict=False) if o is not None)
                and not decided[0]
                and (safe or not decided[1])
            )
        else:
            agree = (ours, decided) == (chromium, (own, safe))
        if not agree:
            differ.append((spelling, chromium, ours, decided))
    assert differ == []


PWN = "window.__pwned = (window.__pwned || 0) + 1"
HOSTILE_POLICY = f"""# Политика

## 1. Общие положения {{: onfocus="{PWN}" autofocus tabindex=0 }}

1.1. Изображения: ![a](/\\evil.example/a.png) ![b](\\\\evil.example/b.png) ![c](/&#92;evil.example/c.png)
![d](http:evil.example/d.png) ![e]( /	/evil.example/e.png) ![f](HTTPS:\\\\evil.example/f.png).

1.2. Ссылки: [x](&#106;avascript:{PWN}) [y](java	script:{PWN})
[наведите](#p1){{: onmouseover="{PWN}" style="position:fixed;inset:0" }}.

1.3. HTML: <img src=x onerror="{PWN}"> <script>{PWN}</script> <svg onload="{PWN}"></svg>
<b onclick="{PWN}" onmouseover="{PWN}">жирный</b>

<div onmouseover="{PWN}" style="position:fixed;inset:0">блок</div>

```{{ .python onclick="{PWN}" onmouseover="{PWN}" style="position:fixed;inset:0" }}
x = 1
```
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, serve_under_privacy):
    config = (
        MINIMAL_CONFIG.format(plugin_options="")
        + "markdown_extensions:\n  - toc:\n      permalink: '#'\n  - attr_list\n"
    )
    repo = GitRepo.new(tmp_path_factory.mktemp("hostile") / "project", config)
    repo.write("docs/index.md", HOSTILE_POLICY)
    repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    repo.write("docs/index.md", HOSTILE_POLICY.replace("1.1. Изображения", "1.1. Картинки"))
    repo.commit("Вторая", "2026-02-15T10:00:00+03:00")
    return serve_under_privacy(repo.build(strict=False))


@pytest.mark.parametrize("page", ["", "editions/1/"])
def test_no_script_from_the_policy_runs_and_no_request_leaves_for_another_host(visit, hostile_site, page):
    aborted = []

    def only_this_machine(context):
        def route(request_route):
            if urlsplit(request_route.request.url).hostname == "127.0.0.1":
                request_route.continue_()
            else:
                aborted.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)

    seen = visit(hostile_site + page, prepare=only_this_machine)
    browser_page = seen.page
    browser_page.wait_for_load_state("networkidle")
    article = browser_page.locator("article")
    assert article.locator("text=1.3. HTML").count() == 1
    # Before any event: Material marks focused elements with data-focus-visible-added.
    policy_text = "article [id^=p], article [id^=p] *, article pre, article pre *, article div:not([class])"
    assert (
        browser_page.evaluate(
            """selector => [...document.querySelectorAll(selector)]
           .flatMap(e => [...e.attributes].map(a => `${e.tagName} ${a.name}`))
           .filter(a => / (on|style|data-|autofocus|tabindex)/.test(a))""",
            policy_text,
        )
        == []
    )
    assert (
        browser_page.evaluate(
            "[...document.querySelectorAll('*')].some(e => e.getAttributeNames().some(n => n.startsWith('on')))"
        )
        is False
    )
    # Events dispatched on each element: the consent banner covers part of the page for a real pointer.
    for element in article.locator("h2, p, a, span, code, pre, div").all():
        for event in ("mouseover", "mouseenter", "focus", "focusin"):
            element.dispatch_event(event)
        if element.evaluate("e => !e.closest('a')"):
            element.dispatch_event("click")
    for _ in range(15):
        browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("window.__pwned") is None
    assert aborted == [] and seen.foreign_requests() == []

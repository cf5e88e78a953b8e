"""A visitor walks from the policy's stamp to its history, an old edition and its changes; and reads them in the light
scheme and the dark one, on a phone and a desktop, with a keyboard and a screen reader (axe, focus rings)."""

import pytest
import yaml

from support import MINIMAL_CONFIG, REPO, GitRepo, build_site

pytestmark = pytest.mark.browser

V1 = (
    "# Политика\n\n## 1. Общие положения\n\n1.1. Первый пункт (о cookies — [п. 2.2](#p2.2)).\n\n"
    "1.2. Передача транспортной компании.\n\n2.2. Сайт использует cookies.\n"
)
V2 = V1.replace("транспортной компании", "курьерской службе")
V3 = V2 + "\n1.3. Новый пункт.\n"
V4 = V3.replace("Первый пункт", "Первый пункт, уточнённый")


def with_this_sites_look(config: str) -> str:
    """``config`` with this repository's own theme and Markdown extensions (mkdocs.yml): its palette (the light
    scheme and the dark one, chosen by ``prefers-color-scheme``), its template overrides (the 404 page, the search
    dialog's label) and its headings' permalinks."""
    site = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {**site["theme"], "custom_dir": str(REPO / site["theme"]["custom_dir"])}
    look = yaml.safe_dump(
        {"theme": theme, "markdown_extensions": site["markdown_extensions"]}, allow_unicode=True, sort_keys=False
    )
    start, end = config.index("theme:\n"), config.index("plugins:\n")
    return config[:start] + look + config[end:]


@pytest.fixture(scope="module")
def room(tmp_path_factory, serve_under_privacy):
    """The policy and its history room on a site with this repository's look, banner shown, by name: the policy in
    force (edition 3), edition 2's changes page (a changed clause between unchanged ones), the history, edition 1's
    page reached at a clause holding a link (its tint), the 404 page; and ``make serve``'s preview of an uncommitted
    edit: the policy under its draft stamp, reached at a heading (its permalink shown), the draft's changes."""
    project = tmp_path_factory.mktemp("history-room")
    repo = GitRepo.new(project / "project", with_this_sites_look(MINIMAL_CONFIG.format(plugin_options="")))
    for text, message, date in (
        (V1, "Первая", "2026-01-15T10:00:00+03:00"),
        (V2, "Курьерская служба", "2026-05-20T10:00:00+03:00"),
        (V3, "Пункт 1.3", "2026-11-24T10:00:00+03:00"),
    ):
        repo.write("docs/index.md", text)
        repo.commit(message, date)
    url = serve_under_privacy(repo.build())
    repo.write("docs/index.md", V4)
    draft = serve_under_privacy(build_site(repo.root / "mkdocs.yml", project / "draft-site", command="serve"))
    return {
        "policy": url,
        "changes": url + "editions/2/changes/",
        "history": url + "editions/",
        "past edition": url + "editions/1/#p1.1",
        "404": url + "404.html",
        "draft": draft + "#p1",
        "draft changes": draft + "editions/draft/",
    }


def test_stamp_to_history_to_old_edition_to_its_changes(visit, room):
    seen = visit(room["policy"])
    page = seen.page
    page.get_by_role("link", name="Редакция № 3 от 24 ноября 2026").click()
    page.wait_for_url("**/privacy/editions/")
    assert page.locator("article h1").inner_text() == "История редакций"

    page.locator("#edition-2").get_by_role("link", name="Полный текст").click()
    page.wait_for_url("**/privacy/editions/2/")
    assert "Архивная редакция № 2" in page.locator(".policy-edition-notice").inner_text()
    assert "курьерской службе" in page.locator('[id="p1.2"]').inner_text()

    page.get_by_role("link", name="Что изменилось в этой редакции").click()
    page.wait_for_url("**/privacy/editions/2/changes/")
    deleted, inserted = page.locator('[id="p1.2"] del'), page.locator('[id="p1.2"] ins')
    assert deleted.is_visible() and inserted.is_visible()
    assert "транспортной компании" in deleted.inner_text() and "курьерской службе" in inserted.inner_text()
    # Not colour alone: removed words are struck through, added ones underlined.
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")

    unchanged = page.locator("details.policy-diff-unchanged").first
    assert not unchanged.locator("p").first.is_visible()
    unchanged.locator("summary").click()
    assert unchanged.locator("p").first.is_visible()

    assert seen.errors == []
    assert seen.foreign_requests() == []


SCHEMES = {"light": "default", "dark": "slate"}
"""Chromium's ``prefers-color-scheme`` and the Material scheme this site's palette answers it with (mkdocs.yml)."""

CHANGED_CLAUSE = "\n".join(
    (
        """- 'heading "П. 1.2: изменён" [level=2]'""",
        "- paragraph:",
        "  - text: 1.2. Передача",
        '  - deletion: "[удалено: транспортной компании. ]"',
        '  - insertion: "[добавлено: курьерской службе. ]"',
    )
)
"""Edition 2's changed clause as a screen reader is given it: the words removed and added named, not only coloured."""


def axe_in_every_page() -> str:
    """axe-core as axe-playwright-python bundles it, for a visit's ``init_script``: in each page before its own
    scripts, read from the browser's code cache after the first, instead of evaluated again before every run
    (0.35 s each)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def violations(page, *rules: str) -> list[tuple[str, list]]:
    """What axe finds on ``page`` as it is shown now (only ``rules`` when given): (rule, element) pairs."""
    options = {"resultTypes": ["violations"], **({"runOnly": list(rules)} if rules else {})}
    found = page.evaluate("options => axe.run(document, options).then(results => results.violations)", options)
    return [(violation["id"], node["target"]) for violation in found for node in violation["nodes"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_in_the_history_room_with_the_banner_and_after_it(open_site, room, scheme, width):
    seen = open_site(
        room["changes"], viewport={"width": width, "height": 800}, color_scheme=scheme, init_script=axe_in_every_page()
    )
    page = seen.page
    seen.banner().wait_for()
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]
    assert page.locator("details.policy-diff-unchanged summary").count() == 2  # «Без изменений: …» on a tint
    assert violations(page) == []
    # Not colour alone, in either scheme: removed words struck through, added ones underlined, both named.
    changed = page.locator('[id="p1.2"]')
    assert changed.aria_snapshot() == CHANGED_CLAUSE
    assert changed.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    assert changed.locator("ins").evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"

    seen.banner().get_by_role("button", name="Только необходимые").click()
    seen.banner().wait_for(state="hidden")
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    assert violations(page) == []
    for name in ("history", "past edition", "404", "draft", "draft changes"):
        page.goto(room[name])
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme], name
        assert (name, violations(page)) == (name, [])
    assert seen.errors == []


def point_at_and_focus_everything(page) -> int:
    """Show every link, summary and button of ``page`` as pointed at and focused, all at once (Chromium's
    ``CSS.forcePseudoState``, DevTools' :hov), with transitions off so that axe reads their final colours;
    return how many."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    root = devtools.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = devtools.send("DOM.querySelectorAll", {"nodeId": root, "selector": "a[href], summary, button"})["nodeIds"]
    for node in nodes:
        devtools.send(
            "CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": ["hover", "focus", "focus-visible"]}
        )
    return len(nodes)


FOCUS_RING = """() => {
  let element = document.activeElement;
  if (!element) return null;
  if (element.dataset.tabbed) return 'again';
  element.dataset.tabbed = 'yes';
  // Material's search opens its dialog on focus, its own state shown; the scheme's toggle rings its label.
  if (element === document.body || element.closest('.md-search')) return null;
  if (element.matches('.md-option')) element = element.nextElementSibling;
  const style = getComputedStyle(element);
  if (style.outlineStyle === 'none') return null;
  const rgba = text => { const [r, g, b, a = 1] = text.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
  // The ring is drawn around the element: over its ancestors' backgrounds.
  let behind = [255, 255, 255, 1];
  const ancestors = [];
  for (let node = element.parentElement; node; node = node.parentElement) ancestors.unshift(node);
  for (const node of ancestors) behind = over(rgba(getComputedStyle(node).backgroundColor), behind);
  const luminance = rgb => rgb.slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [high, low] = [luminance(over(rgba(style.outlineColor), behind)), luminance(behind)].sort((x, y) => y - x);
  const name = [element.textContent.trim(), element.getAttribute('aria-label'), element.getAttribute('title'),
    element.className].find(Boolean) || element.tagName;
  return [name.slice(0, 40), Math.round((high + 0.05) / (low + 0.05) * 100) / 100];
}"""
"""The focused element's ring, as (its name, the ring's contrast with what is behind it); null when none is drawn,
"again" when focus has come back to an element it was on."""


def faint_focus_rings(page) -> list[tuple[str, float]]:
    """Tab through ``page`` once, as a keyboard user does, until focus comes back to an element it met: each ring
    drawn under 3:1 (WCAG 1.4.11), by the element's name."""
    faint = []
    for _ in range(100):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring == "again":
            return faint
        if ring and ring[1] < 3:
            faint.append(tuple(ring))
    raise AssertionError(f"{page.url}: focus never came back after 100 tabs")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_links_and_folds_pointed_at_or_focused_stay_visible_and_legible(open_site, room, scheme):
    """Material draws a link pointed at or focused in its accent colour, indigo: 4.25:1 on white, 3.78:1 on slate;
    its header's focus rings indigo on indigo. Each page is walked with the keyboard (every ring drawn at least 3:1
    with what is behind it), then, as axe reads only the state a page is in, every state is forced at once for it.
    At desktop width: the sidebars' links shown too."""
    seen = open_site(
        room["changes"], viewport={"width": 1280, "height": 800}, color_scheme=scheme, init_script=axe_in_every_page()
    )
    page = seen.page
    seen.banner().wait_for()
    for name in room:
        if name != "changes":
            page.goto(room[name])
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        assert (name, faint_focus_rings(page)) == (name, [])
        assert point_at_and_focus_everything(page) >= 10, name
        assert (name, violations(page, "color-contrast")) == (name, [])
    assert seen.errors == []

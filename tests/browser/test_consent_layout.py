"""The consent banner never hides the policy: at any viewport the page's end and its footer scroll clear of it."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from support import REPO

pytestmark = pytest.mark.browser

# Phones upright and turned, tablets, laptops, desktops.
VIEWPORTS = [
    (320, 568),
    (568, 320),
    (360, 640),
    (375, 667),
    (412, 915),
    (768, 1024),
    (1024, 600),
    (1024, 768),
    (1280, 800),
    (1366, 768),
    (1440, 900),
    (1920, 1080),
]

# What of the last clause's last line, the footer's links and the sidebars' last entries cannot be scrolled into
# view above the banner, as a reader would: until its bottom meets the banner's top, or as far as the page (or the
# sidebar) goes; and the footer's end.
HIDDEN = """async () => {
  // Scrolled, then two frames: Material fits its sticky sidebars to the page on scroll, in the next frame.
  const scrollTo = top => {
    window.scrollTo({top, behavior: 'instant'});
    return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  };
  const bannerTop = () => document.querySelector('.alectro-consent').getBoundingClientRect().top;
  const clauses = document.querySelectorAll('article p[id^="p"]');
  const clause = clauses[clauses.length - 1];
  const range = document.createRange();
  range.selectNodeContents(clause);
  const lastLine = () => [...range.getClientRects()].filter(rect => rect.width > 0 && rect.height > 0).pop();
  const links = [...document.querySelectorAll('.md-footer a')]
    .filter(a => ['История редакций', 'Настройки cookies'].includes(a.textContent.trim()));
  const targets = [['last line of ' + clause.id, lastLine, clause]]
    .concat(links.map(a => [a.textContent.trim(), () => a.getBoundingClientRect(), a]));
  const hidden = [];
  for (const [name, box, element] of targets) {
    await scrollTo(scrollY + box().bottom - bannerTop());
    const rect = box(), top = bannerTop();
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    if (!(rect.bottom <= top + 1 && hit && element.contains(hit))) {
      hidden.push(`${name}: ${Math.round(rect.top)}–${Math.round(rect.bottom)} px, banner from ${Math.round(top)}, `
        + `seen there: ${hit ? hit.outerHTML.slice(0, 100) : 'nothing'}`);
    }
  }
  // The sidebars (navigation, contents) scroll on their own: the last entry of one in view (not a closed
  // drawer, not a nested list shown only on phones) must clear the banner too.
  const banner = document.querySelector('.alectro-consent');
  const seenAt = (rect, hidingBanner) => {
    banner.style.visibility = hidingBanner ? 'hidden' : '';
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    banner.style.visibility = '';
    return hit;
  };
  for (const wrap of document.querySelectorAll('.md-sidebar__scrollwrap')) {
    const entry = [...wrap.querySelectorAll('a.md-nav__link')].filter(a => a.getClientRects().length).pop();
    if (!entry) continue;
    await scrollTo(0);
    wrap.scrollTop += entry.getBoundingClientRect().bottom - bannerTop();
    await scrollTo(0);
    const rect = entry.getBoundingClientRect(), top = bannerTop();
    if (!entry.contains(seenAt(rect, true))) continue;
    const hit = seenAt(rect, false);
    if (!(rect.bottom <= top + 1 && hit && entry.contains(hit))) {
      hidden.push(`sidebar's last entry «${entry.textContent.trim()}»: `
        + `${Math.round(rect.top)}–${Math.round(rect.bottom)} px, `
        + `banner from ${Math.round(top)}, seen there: ${hit ? hit.outerHTML.slice(0, 100) : 'nothing'}`);
    }
  }
  await scrollTo(document.documentElement.scrollHeight);
  const footer = document.querySelector('.md-footer').getBoundingClientRect();
  if (footer.bottom > bannerTop() + 1) {
    hidden.push(`footer's end at ${Math.round(footer.bottom)} px, banner from ${Math.round(bannerTop())}`);
  }
  return {links: links.length, hidden};
}"""


# The room below the page follows the banner's height through a ResizeObserver, whose callback runs after the
# layout that changed the height: a reader's next scroll meets it, a measurement right after a click may not.
ROOM_FITS_THE_BANNER = """() => getComputedStyle(document.documentElement).getPropertyValue('--alectro-consent-height')
  === document.querySelector('.alectro-consent').offsetHeight + 'px'"""


def hidden_above_the_banner(page) -> list[str]:
    page.wait_for_function(ROOM_FITS_THE_BANNER)
    found = page.evaluate(HIDDEN)
    assert found["links"] == 2, "the footer should carry «История редакций» and «Настройки cookies»"
    return found["hidden"]


@pytest.mark.parametrize("width, height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_last_clause_and_the_footer_links_scroll_into_view_above_the_banner(open_site, policy_url, width, height):
    seen = open_site(policy_url, viewport={"width": width, "height": height})
    page = seen.page
    banner = seen.banner()
    banner.wait_for()
    assert hidden_above_the_banner(page) == [], "banner collapsed"

    banner.get_by_role("button", name="Настроить").click()
    banner.get_by_role("switch", name="Аналитика").wait_for()
    assert hidden_above_the_banner(page) == [], "settings open: the banner grew"

    page.set_viewport_size({"width": height, "height": width})
    page.wait_for_function(f"innerWidth === {height}")
    assert hidden_above_the_banner(page) == [], "the device turned"
    assert seen.errors == []


def test_the_room_kept_for_the_banner_goes_with_it(open_site, policy_url):
    seen = open_site(policy_url, viewport={"width": 320, "height": 568})
    page = seen.page
    seen.banner().get_by_role("button", name="Настроить").click()
    with_banner = page.evaluate("document.documentElement.scrollHeight")
    seen.banner().get_by_role("button", name="Только необходимые").click()
    seen.banner().wait_for(state="hidden")
    page.wait_for_function(f"document.documentElement.scrollHeight < {with_banner}")
    after_choice = page.evaluate("document.documentElement.scrollHeight")
    page.reload()
    page.locator("article h1").wait_for()
    assert not seen.banner().is_visible()
    assert after_choice == page.evaluate("document.documentElement.scrollHeight")


LIGHTHOUSE = REPO / "tests" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"


def test_lighthouse_scores_the_policy_page_with_its_banner_100_for_accessibility(policy_url, chromium, tmp_path):
    """Lighthouse's own run: a fresh profile (so the banner shows), a phone's screen, accessibility only."""
    assert LIGHTHOUSE.exists(), "Lighthouse is not installed: run 'make test' (tests/ensure_lighthouse.sh installs it)"
    report = tmp_path / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            policy_url,
            "--only-categories=accessibility",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--max-wait-for-load=20000",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run",
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        check=True,
        timeout=90,
    )
    result = json.loads(report.read_text(encoding="utf-8"))
    failing = {
        audit_id: [item.get("node", {}).get("snippet") for item in audit.get("details", {}).get("items", [])]
        for audit_id, audit in result["audits"].items()
        if audit.get("score") is not None and audit["score"] < 1 and audit["scoreDisplayMode"] in ("binary", "numeric")
    }
    assert "runtimeError" not in result, result.get("runtimeError")
    assert result["categories"]["accessibility"]["score"] == 1.0, f"failing audits: {failing}"

"""Every build checks its own output: a site without its stamps, history or banner is never published.

An engine or theme that ignored the plugin's events (Zensical runs no MkDocs plugins; a theme may drop a
block) would still produce a site. These checks read the built files, so the build fails instead.
"""

from __future__ import annotations

from pathlib import Path

from alectro_published import editions_file

from .publication import PublishedDocument

STAMP_MARK = 'class="policy-stamp'
BANNER_MARK = 'id="alectro-consent"'


def _page(site_dir: Path, url: str) -> Path:
    return site_dir / url / "index.html"


def missing_outputs(site_dir: Path, documents: list[PublishedDocument], banner: bool) -> list[str]:
    """Return what the built site at ``site_dir`` lacks, one line each (empty when complete).

    Checked: each document's page with its edition stamp, its history page, each edition's text and
    changes pages, its feed, ``editions.json`` listing every edition, and, when ``banner``, the consent
    banner on each of those pages.
    """
    problems: list[str] = []

    def check_page(url: str, what: str, mark: str | None = None) -> None:
        path = _page(site_dir, url)
        if not path.is_file():
            problems.append(f"{what} is missing ({path.relative_to(site_dir)})")
            return
        html = path.read_text(encoding="utf-8", errors="replace")
        if mark and mark not in html:
            problems.append(f"{what} has no edition stamp ({path.relative_to(site_dir)})")
        if banner and BANNER_MARK not in html:
            problems.append(f"{what} has no consent banner ({path.relative_to(site_dir)})")

    for document in documents:
        name = document.editions_of.source_path
        check_page(document.url, f"the page of {name}", STAMP_MARK)
        check_page(document.history_url, f"the history of {name}")
        for record in document.records:
            check_page(record.text_url, f"edition {record.number} of {name}")
            if record.changes_url:
                check_page(record.changes_url, f"the changes of edition {record.number} of {name}")
        if not (site_dir / document.feed_url).is_file():
            problems.append(f"the feed of {name} is missing ({document.feed_url})")
    problems += _editions_json_problems(site_dir, documents)
    return problems


def refusal(missing: list[str]) -> str:
    """Return why a build whose site lacks ``missing`` (from :func:`missing_outputs`) stops, and what to do."""
    return (
        "The built site is incomplete, so it must not be published: " + "; ".join(missing) + ". "
        "The theme or the engine did not run the alectro-policy plugin's part (a template override that "
        "drops a block, or an engine that ignores MkDocs plugins): build with MkDocs 1.6 or ProperDocs "
        "and let the templates of a custom_dir keep what they override ({{ super() }} in a block)."
    )


def _editions_json_problems(site_dir: Path, documents: list[PublishedDocument]) -> list[str]:
    path = site_dir / editions_file.FILE
    try:
        written = editions_file.parse(path.read_bytes(), str(path))
    except (OSError, editions_file.EditionsFileError) as error:
        return [f"editions.json is missing or unreadable ({error})"]
    listed = {(d.source, e.number) for d in written.documents for e in d.editions}
    expected = {(d.editions_of.source_path, r.number) for d in documents for r in d.records}
    return [f"editions.json does not list edition {number} of {source}" for source, number in sorted(expected - listed)]

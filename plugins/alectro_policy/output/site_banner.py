"""The consent banner on the site's pages: bound to the published document consent is given under, rendered
once per page depth, put last in each page's body."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from jinja2 import Environment

from ..consent.assets import ASSETS_DIR, Assets, load_assets
from ..consent.banner import BANNER_TEXTS, Banner, BoundDocument, build_banner
from ..consent.shown_text import STATES, shown_texts
from ..dates import long_date
from .publication import PublishedDocument


def bound_document(documents: list[PublishedDocument], path: str, is_policy: bool) -> BoundDocument | None:
    """Return the document at ``path`` (relative to docs/) as the banner binds consent to it (``is_policy``: it
    is the policy itself); None when it has no published edition yet (no git history)."""
    document = next((d for d in documents if d.editions_of.path == path), None)
    if document is None or document.current is None or document.editions_of.consent_edition is None:
        return None
    edition = document.editions_of.consent_edition
    current = document.current
    return BoundDocument(
        source=document.editions_of.source_path,
        title=document.title,
        is_policy=is_policy,
        consent_edition=edition.number,
        current_edition=current.number,
        current_date_text=long_date(current.edition.date),
        current_sha256=current.edition.sha256,
        text_url=current.text_url,
        changes_url=document.records[edition.number - 1].changes_url,
        identity=document.editions_of.identity,
    )


class SiteBanner:
    """The build's banner, its script and styles, and its HTML per way back to the site's root."""

    def __init__(self, banner: Banner, assets: Assets, environment: Environment):
        self.banner = banner
        self.assets = assets
        self._environment = environment
        self._html_by_base: dict[str, str] = {}

    def generated_files(self) -> list[tuple[str, str]]:
        """Return the files the banner adds to the site, as (path from the site's root, content): its scripts, and
        its text in each state as the visitor reads it, under the hash each record of a choice made in it carries,
        listed in ``index.txt``."""
        texts = {self.banner.text_hashes[state]: self.banner.texts[state] for state in STATES}
        return [
            (f"{ASSETS_DIR}/consent.js", self.assets.js),
            (f"{ASSETS_DIR}/consent-receipt.js", self.assets.receipt_js),
            *((f"{BANNER_TEXTS}/{text_hash}.txt", text) for text_hash, text in texts.items()),
            # Publishing adds the texts earlier releases showed (deploy/alectro_deploy/banner_texts.py).
            (f"{BANNER_TEXTS}/index.txt", "".join(f"{text_hash}\n" for text_hash in texts)),
        ]

    def inject(self, html: str, base: str) -> str:
        """Return the page ``html`` with the banner last in its body; ``base`` is the way back to the site's
        root from the page (``..``), or the site's path for a page served at any depth (404)."""
        # The banner differs between pages only by ``base``: rendered once per depth.
        if base not in self._html_by_base:
            self._html_by_base[base] = rendered(self.banner, self._environment, base)
        before, end, after = html.rpartition("</body>")
        banner = self._html_by_base[base]
        return before + banner + end + after if end else html + banner


def site_banner(
    settings: Mapping[str, Any],
    documents: list[PublishedDocument],
    page_url: Callable[[str], str],
    metrica_counter: str | None,
    environment: Environment,
) -> SiteBanner | None:
    """Return the banner the plugin's ``settings`` ask for (``consent``, ``documents``, ``timezone``), bound to
    ``consent.document`` or else to the policy (the first of ``documents``, its page where ``page_url`` says);
    None when the banner is off or no optional category leaves anything to ask.

    Raises ``ConsentError`` (``consent.banner``) for a Metrica counter (``metrica_counter``) it cannot use, or a
    ``cookie_clause`` whose words name no single clause of the policy.
    """
    options, policy = settings["consent"], settings["documents"][0]
    if not (settings["enabled"] and options["enabled"]):
        return None
    bound = bound_document(documents, options["document"] or policy, is_policy=options["document"] is None)
    assets = load_assets()
    banner = build_banner(
        options,
        bound,
        metrica_counter,
        assets.version,
        policy_url=page_url(policy),
        timezone=settings["timezone"],
        policy_text=shown_text_of(documents, policy),
    )
    if not banner.optional:
        return None
    return SiteBanner(with_shown_texts(banner, environment), assets, environment)


def shown_text_of(documents: list[PublishedDocument], path: str) -> str | None:
    """Return the Markdown of the document at ``path`` (relative to docs/) as its page shows it: its draft's when it
    has one (the file as it is now), else its edition in force's; None when it has no edition."""
    for document in documents:
        history = document.editions_of
        if history.path == path and (edition := history.draft or history.current):
            return edition.text
    return None


def with_shown_texts(banner: Banner, environment: Environment) -> Banner:
    """Return ``banner`` with its words in each state as ``consent.html`` renders them in ``environment``
    (``shown_text.shown_texts``): what its records' hashes and its published texts are made of."""
    # The settings the page's script reads, these hashes among them, are outside the words.
    return replace(banner, texts=shown_texts(rendered(banner, environment, "")))


def rendered(banner: Banner, environment: Environment, base: str) -> str:
    """Return ``consent.html`` rendered for a page whose way back to the site's root is ``base``."""
    return environment.get_template("consent.html").render(banner.page_context("", base=base))

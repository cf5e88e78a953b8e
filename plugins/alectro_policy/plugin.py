"""MkDocs adapter: the events of a build, delegating to the domain modules."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, cast
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markdown import Extension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import urls
from .config import PolicyConfig
from .consent.banner import ConsentError
from .dates import long_date
from .history import git
from .history.editions import EditionError, refused_marks
from .history.images import EditionImages
from .history.repository import Repository
from .history.site_editions import SiteEditions, unpublishable
from .output import completeness, held_pages, reader_text, rendering, site_banner, theme
from .output.edition_links import EditionLinks
from .output.edition_views import EditionView, document_description, edition_links, edition_views, page_date
from .output.moved import redirect_pages
from .output.page_checks import policy_page_problems
from .output.preview import Preview, site_key
from .output.publication import PublishedDocument
from .output.site_files import write_site_files
from .text.clauses import ClauseAnchorsExtension
from .text.policy_markdown import PolicyMarkdownExtension, PolicyPage
from .text.safe_links import SafeLinksExtension
from .urls import page_url

log = get_plugin_logger(__name__)


Severity = Literal["info", "warning", "error"]


def severity(command: str, strict: bool, *, past_edition: bool = False, unpublishable: bool = False) -> Severity:
    """Return how loud a problem is, the one rule for every message of the plugin: information for a past edition
    (history cannot be corrected) and under ``mkdocs serve`` (a warning would stop a strict serve; the preview is
    what the editor asked for); an error in a strict build for a site that must not be published (``unpublishable``:
    outside git, a draft); else a warning, which a strict build turns into a failure."""
    if past_edition or command == "serve":
        return "info"
    return "error" if unpublishable and strict else "warning"


class PolicyPlugin(BasePlugin[PolicyConfig]):
    def __init__(self):
        self._command = "build"
        self._strict = False
        self._editions = SiteEditions({})
        self._repository: Repository | None = None
        self._published: list[PublishedDocument] = []
        self._views: dict[str, EditionView] = {}
        self._images = EditionImages(None, ())
        self._banner: site_banner.SiteBanner | None = None
        self._style = ""
        self._safe_links = SafeLinksExtension()
        self._policy_markdown = PolicyMarkdownExtension()
        self._clause_anchors = ClauseAnchorsExtension()
        self._edition_links_of_page: EditionLinks | None = None
        self._templates = Environment()
        self._held = held_pages.HeldPages()
        self._texts = reader_text.ReaderTexts()
        self._preview = Preview()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command
        self._preview = Preview(active=command == "serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if not config.use_directory_urls:
            raise PluginError(urls.DIRECTORY_URLS_ONLY)
        self._strict = bool(config.strict)
        self._templates = rendering.templates(ZoneInfo(self.config.timezone))
        # As MkDocs' search plugin does: the templates travel with the package, so any site gets the history pages.
        config.theme.dirs = theme.theme_dirs_with_plugin(config.theme.dirs, config.theme.custom_dir)
        # MkDocs types the option as extension names, but hands the list to Python-Markdown, which takes
        # Extension instances too: the way a plugin adds an extension that it configures itself.
        extensions = cast("list[str | Extension]", config.markdown_extensions)
        if self.config.clause_anchors:
            extensions.append(self._clause_anchors)
        extensions.append(self._safe_links)
        # Last: it takes out what other extensions would let the policy's text add to the page.
        extensions.append(self._policy_markdown)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # MkDocs keeps this instance across builds in one process: a disabled build forgets what an enabled one read.
        self._editions = self._read_editions(config) if self.config.enabled else SiteEditions({})

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._published = self._preview.published(self._editions.documents.values(), self.config.anchored)
        self._views = {v.src_uri: v for d in self._published for v in edition_views(d, self._preview.active)}
        # Under mkdocs serve, an edition's pages as the last rebuild wrote them when only a draft changed (preview).
        held = self._preview.held(self._views.values(), site_key(config, files, self._editions.documents))
        hidden = InclusionLevel.NOT_IN_NAV
        for view in (view for view in self._views.values() if view.src_uri not in held):
            files.append(File.generated(config, view.src_uri, content=view.front_matter(), inclusion=hidden))
        # A moved document's old addresses lead to its new ones (history.moves, output.moved).
        for uri, html in redirect_pages(self._published, {f.dest_uri for f in files}, self._templates, config.site_url):
            files.append(File.generated(config, uri, content=html, inclusion=hidden))
        self._images = EditionImages(self._repository, (r.edition for d in self._published for r in d.records))
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        # Once per build, after the editions are read: the banner is the same on every page.
        counter = os.environ.get(self.config.consent.metrica_counter_env)
        try:
            self._banner = site_banner.site_banner(self.config, self._published, page_url, counter, self._templates)
        except ConsentError as error:
            raise PluginError(f"Consent banner: {error}") from None
        # Every page's inline styles (theme.style_element); none while the plugin is off.
        css = self._banner.assets.css if self._banner else None
        self._style = theme.style_element(css) if self.config.enabled else ""
        for path, content in self._banner.generated_files() if self._banner else []:
            files.append(File.generated(config, path, content=content))
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        env.filters.update(long_date=long_date, href=urls.href)
        env.bytecode_cache = rendering.COMPILED
        env.globals["alectro_policy"] = theme.ThemeLinks(
            history_url=self._published[0].history_url if self._published else None,
            banner=self._banner.banner if self._banner else None,
            documents=theme.page_documents(self._published, self._views),
        )
        return env

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        # A commit changes no file MkDocs watches, yet it turns the draft into an edition: rebuild on commits too.
        for path in git.commit_folders(Path(config.docs_dir)) if self.config.enabled else []:
            server.watch(str(path))
        return server

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        history = self._editions.documents.get(page.file.src_uri)
        view = self._views.get(page.file.src_uri)
        if (day := page_date(history, view)) is not None:
            page.update_date = day.isoformat()
        if description := document_description(self._published, page.file.src_uri, self.config.documents[0]):
            page.meta.setdefault("description", description)
        # The policy is legal text, never markup: any HTML in it is shown as text, and no attribute reaches the page.
        policy_page = PolicyPage() if history or view else None
        self._edition_links_of_page = edition_links(view, self._images, page_url)
        if policy_page and self._edition_links_of_page:
            policy_page.edition_url = self._edition_links_of_page.url
        self._policy_markdown.page = policy_page
        document = history.path if history else view.document.editions_of.path if view else None
        self._clause_anchors.skip = not self.config.anchored(document)
        return view.body() if view else None

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        if view := self._views.get(page.file.src_uri):
            context["edition_view"] = view
            self._held.restore(page)
            page.canonical_url = view.canonical_url(config.site_url) or page.canonical_url
        return context

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str | None:
        source = f"{Path(config.docs_dir).name}/{page.file.src_uri}"
        # A past edition's text is history and cannot be corrected.
        past = page.file.src_uri in self._views
        policy_page, self._policy_markdown.page = self._policy_markdown.page, None
        links, self._edition_links_of_page = self._edition_links_of_page, None
        for problem in self._safe_links.problems(source) + (policy_page.problems(source) if policy_page else []):
            self._report(problem, past_edition=past)
        for uri, image in self._preview.shown(self._views.get(page.file.src_uri), links.images if links else {}):
            files.append(File.generated(config, uri, content=image))
        for problem in links.problems(source) if links else []:
            self._report(problem, past_edition=True)  # missing when the edition was published too
        history = self._editions.documents.get(page.file.src_uri)
        # Checked on the page the banner links (the policy, first of 'documents'), wherever it is.
        banner = self._banner.banner if self._banner else None
        cookie_clause = banner.cookie_clause if banner and unquote(page.url) == banner.policy_url else None
        for problem in policy_page_problems(html, source, history, cookie_clause, not self._clause_anchors.skip):
            self._report(problem)
        if history is None:
            return self._held.hold(page, html) if past else None
        url = page_url(history.path)
        return rendering.stamped(self._templates, html, url, history, urls.draft_url(url) + "index.md" in self._views)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        self._held.written(page)
        uri = page.file.src_uri  # what readers of an edition are shown, on its page and on the document's own
        self._texts.page_written(uri, self._views.get(uri), output, uri in self._editions.documents)
        output = self._finished(output, urls.relative_root(page.url)) if self._style else output
        return self._preview.written(self._views.get(uri), output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        # The 404 page is a theme template, not a page, and is served at any depth: links from the site's path.
        if not self._style or template_name != "404.html":
            return None
        return self._finished(output_content, urlsplit(config.site_url or "/").path.rstrip("/"))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._repository is not None:
            self._repository.close()  # every page is written: git's answers are all read
        if not self.config.enabled or not self._published:
            return
        site_dir = Path(config.site_dir)
        self._preview.write_held(site_dir)
        for problem in self._texts.problems(self._published):
            self._report(problem)
        texts, zone = self._texts.built, self.config.timezone
        write_site_files(site_dir, self._published, self._templates, config.site_url, config.site_name, zone, texts)
        missing = completeness.missing_outputs(site_dir, self._published, banner=self._banner is not None)
        if missing:
            raise PluginError(completeness.refusal(missing))

    # -- helpers -----------------------------------------------------------------------

    def _report(self, message: str, *, past_edition: bool = False, unpublishable: bool = False) -> None:
        level = severity(self._command, self._strict, past_edition=past_edition, unpublishable=unpublishable)
        if level == "error":
            raise PluginError(message)
        (log.warning if level == "warning" else log.info)(message)

    def _finished(self, html: str, base: str) -> str:
        """``html`` with the plugin's styles and the banner (``base``: the way back to the site's root)."""
        html = theme.with_style(html, self._style)
        return self._banner.inject(html, base) if self._banner else html

    def _read_editions(self, config: MkDocsConfig) -> SiteEditions:
        try:  # under mkdocs serve, read once per commit (output.preview)
            read = self._preview.history(self.config.editions_request(Path(config.docs_dir)), self._command)
        except (git.GitError, EditionError) as error:
            raise PluginError(f"Editions: {error}") from None
        self._repository, self._texts = read.repository, reader_text.ReaderTexts(read.published)
        for problem in unpublishable(read.site, read.line_name, self.config.main_branch):
            self._report(problem, unpublishable=True)
        for problem in (problem for history in read.site.documents.values() for problem in refused_marks(history)):
            self._report(problem, past_edition=True)  # information: published as substantive, as reviewed
        return read.site

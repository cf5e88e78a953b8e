"""MkDocs adapter: the events of a build, delegating to the domain modules."""

from __future__ import annotations

import os
import posixpath
import re
from importlib import resources
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markdown import Extension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import urls
from .config import PolicyConfig
from .consent import assets as consent_assets
from .consent import banner as consent
from .dates import long_date
from .history import git as git_log
from .history.editions import DocumentEditions, EditionError
from .history.repository import SiteEditions, read_editions
from .output import completeness as site_check
from .output import theme as site_theme
from .output.edition_links import EditionLinks
from .output.edition_views import EditionPageView, EditionView, edition_views
from .output.page_checks import PageFacts, missing_clauses, missing_cookie_clause, page_facts
from .output.publication import PublishedDocument, editions_json, feed_timestamp, published_document
from .text.clauses import ClauseAnchorsExtension
from .text.policy_markdown import PolicyMarkdownExtension, PolicyPage
from .text.safe_links import SafeLinksExtension

log = get_plugin_logger(__name__)

EDITIONS_SCHEMA = "editions.schema.json"
"""The JSON Schema of editions.json, published beside it."""

_FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)


class PolicyPlugin(BasePlugin[PolicyConfig]):
    def __init__(self):
        self._command = "build"
        self._editions = SiteEditions({})
        self._published: list[PublishedDocument] = []
        self._views: dict[str, EditionView] = {}
        self._image_blobs: dict[str, bytes] = {}
        self._banner_by_base: dict[str, str] = {}
        """Past editions' own images by git object id, read once per build."""
        self._safe_links = SafeLinksExtension()
        self._policy_markdown = PolicyMarkdownExtension()
        self._edition_links_of_page: EditionLinks | None = None
        self._templates = Environment(
            loader=ChoiceLoader(
                [PackageLoader("alectro_policy", "templates"), PackageLoader("alectro_policy.consent", "templates")]
            ),
            autoescape=select_autoescape(default=True, default_for_string=True),
            keep_trailing_newline=False,
        )
        self._templates.filters["long_date"] = long_date
        # XML 1.0 forbids control characters: policy text and settings reach the feed through this filter.
        self._templates.filters["displayable"] = git_log.displayable
        self._templates.filters["feed_date"] = lambda day: feed_timestamp(day, ZoneInfo(self.config.timezone))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if not config.use_directory_urls:
            raise PluginError(
                "mkdocs.yml: 'use_directory_urls: false' is not supported by the alectro-policy plugin: the "
                "permanent addresses of editions (editions/N/), editions.json, the feed and the stamp's links are "
                "directory URLs, which would lead to 404 pages. Remove 'use_directory_urls: false' from mkdocs.yml."
            )
        document = self.config.consent.document
        if document is not None and document not in self.config.documents:
            raise PluginError(
                f"mkdocs.yml: the option consent.document of the alectro-policy plugin is '{document}', which "
                f"'documents' does not list ({', '.join(self.config.documents)}): add it to 'documents' "
                f"(paths relative to docs/), so that it has editions consent can be bound to"
            )
        # As MkDocs' search plugin does: the templates travel with the package, so any site gets the history pages.
        config.theme.dirs = site_theme.theme_dirs_with_plugin(config.theme.dirs, config.theme.custom_dir)
        # MkDocs types the option as extension names, but hands the list to Python-Markdown, which takes
        # Extension instances too: the way a plugin adds an extension that it configures itself.
        extensions = cast("list[str | Extension]", config.markdown_extensions)
        if self.config.clause_anchors:
            extensions.append(ClauseAnchorsExtension())
        extensions.append(self._safe_links)
        # Last: it takes out what other extensions would let the policy's text add to the page.
        extensions.append(self._policy_markdown)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            # MkDocs keeps this instance across builds in one process: forget what an enabled build read.
            self._editions = SiteEditions({})
            return
        self._editions = self._read_editions(config)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self._published = [published_document(h) for h in self._editions.documents.values() if h.editions]
        self._views = {}
        for document in self._published:
            for view in edition_views(document):
                files.append(
                    File.generated(config, view.src_uri, content=view.markdown(), inclusion=InclusionLevel.NOT_IN_NAV)
                )
                self._views[view.src_uri] = view
        # Every past edition's own images, read once per build by object id (one git process, not one per image).
        image_ids = sorted({oid for d in self._published for r in d.records for _, oid in r.edition.images if oid})
        root = self._editions.root
        self._image_blobs = git_log.blobs(root, image_ids) if root is not None and image_ids else {}
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        # Once per build, after the editions are read: the banner is the same on every page.
        built = self._build_banner()
        self._banner = built[0] if built else None
        self._banner_by_base = {}
        # Every page's inline styles (site_theme.style_element); none while the plugin is off.
        self._style = site_theme.style_element(built[1].css if built else None) if self.config.enabled else ""
        if built:
            files.append(File.generated(config, f"{consent_assets.ASSETS_DIR}/consent.js", content=built[1].js))
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        env.filters["long_date"] = long_date
        env.globals["alectro_policy"] = site_theme.ThemeLinks(
            history_url=self._published[0].history_url if self._published else None, banner=self._banner
        )
        return env

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        # A commit changes no file MkDocs watches, yet it turns the draft into an edition: rebuild on commits too.
        if self.config.enabled:
            try:
                for path in git_log.paths_changed_by_commits(git_log.repository_root(Path(config.docs_dir))):
                    server.watch(str(path))
            except git_log.GitError:
                pass  # outside git there are no commits to wait for
        return server

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        history = self._editions_of(page)
        view = self._views.get(page.file.src_uri)
        if history and history.current and not history.draft:
            # The edition's date, not the build's: two builds of one commit give the same sitemap.
            page.update_date = history.current.date.isoformat()
        elif view:
            page.update_date = view.updated.isoformat()
        self._safe_links.found.clear()
        # The policy is legal text, never markup: any HTML in it is shown as text, and no attribute reaches the page.
        policy_page = PolicyPage() if history or view else None
        self._edition_links_of_page = (
            self._edition_links(view, config) if isinstance(view, EditionPageView) and view.kind == "text" else None
        )
        if policy_page and self._edition_links_of_page:
            policy_page.edition_url = self._edition_links_of_page.url
        self._policy_markdown.page = policy_page
        return None

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        view = self._views.get(page.file.src_uri)
        if view:
            context["edition_view"] = view
        return context

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str | None:
        self._report_unsafe_links(page)
        self._report_removed_markup(page)
        self._publish_edition_images(page, config, files)
        history = self._editions_of(page)
        if history is not None or page.url == "":
            self._check_policy_page(page, page_facts(html), history)
        if history is None:
            return None
        draft_page = urls.draft_url(history.path)
        stamp = self._templates.get_template("stamp.html").render(
            current=history.current,
            draft=history.draft,
            history_url=urls.relative(page.url, urls.history_url(history.path)),
            # The preview exists when on_files made its page (a draft with an edition in force to compare).
            draft_changes_url=urls.relative(page.url, draft_page) if draft_page + "index.md" in self._views else None,
        )
        html, found = _FIRST_H1_END.subn(lambda match: match.group(0) + stamp, html, count=1)
        return html if found else stamp + html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if not self._style:
            return None
        output = site_theme.with_style(output, self._style)
        return self._inject_banner(output, urls.relative_root(page.url)) if self._banner else output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        # The 404 page is a theme template, not a page, and is served at any depth: links from the site's path.
        if not self._style or template_name != "404.html":
            return None
        output = site_theme.with_style(output_content, self._style)
        if self._banner is None:
            return output
        site_path = urlsplit(config.site_url or "/").path.rstrip("/")
        return self._inject_banner(output, site_path)

    def _inject_banner(self, html: str, base: str) -> str:
        # The banner differs between pages only by the way back to the site's root: rendered once per depth.
        if base not in self._banner_by_base and self._banner is not None:
            context = self._banner.page_context("", base=base)
            self._banner_by_base[base] = self._templates.get_template("consent.html").render(context)
        banner = self._banner_by_base.get(base, "")
        before, end, after = html.rpartition("</body>")
        return before + banner + end + after if end else html + banner

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled or not self._published:
            return
        site_dir = Path(config.site_dir)
        (site_dir / "editions.json").write_text(
            editions_json(self._published, config.site_url or "/", self.config.timezone), encoding="utf-8"
        )
        (site_dir / EDITIONS_SCHEMA).write_bytes(
            resources.files("alectro_policy").joinpath(EDITIONS_SCHEMA).read_bytes()
        )
        for document in self._published:
            for record in document.records:
                # Byte for byte as committed, so that its SHA-256 is the edition's.
                (site_dir / record.source_url).write_bytes(record.edition.source)
        feed = self._templates.get_template("feed.xml")
        for document in self._published:
            path = site_dir / document.feed_url
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                feed.render(
                    document=document, site_url=(config.site_url or "/").rstrip("/") + "/", site_name=config.site_name
                ),
                encoding="utf-8",
            )
        missing = site_check.missing_outputs(site_dir, self._published, banner=self._banner is not None)
        if missing:
            raise PluginError(
                "The built site is incomplete, so it must not be published: " + "; ".join(missing) + ". "
                "The theme or the engine did not run the alectro-policy plugin's part (a template override that "
                "drops a block, or an engine that ignores MkDocs plugins): build with MkDocs 1.6 or ProperDocs "
                "and let the templates of a custom_dir keep what they override ({{ super() }} in a block)."
            )

    # -- helpers -----------------------------------------------------------------------

    def _read_editions(self, config: MkDocsConfig) -> SiteEditions:
        docs_dir = Path(config.docs_dir)
        try:
            site_editions = read_editions(
                docs_dir,
                self.config.documents,
                self.config.first_published,
                ZoneInfo(self.config.timezone),
                corrected_dates=self.config.corrected_dates(),
            )
        except (git_log.GitError, EditionError) as error:
            raise PluginError(f"Editions: {error}") from None
        if site_editions.outside_git:
            message = (
                "Editions: the site is not in a git repository (or it has no commits), so the policy is stamped "
                "as an unpublished draft. Build from a git clone of the repository to publish it."
            )
            if config.strict and self._command != "serve":
                raise PluginError(message)
            # A warning would stop a strict 'mkdocs serve': the preview is what the editor asked for.
            (log.info if self._command == "serve" else log.warning)(message)
        else:
            for path in site_editions.drafts():
                message = (
                    f"Editions: docs/{path} has uncommitted changes, shown as a draft of the next edition. "
                    f'Commit them (git commit -am "what changed") before publishing.'
                )
                if config.strict and self._command != "serve":
                    raise PluginError(message)
                log.info(message)
        return site_editions

    def _check_policy_page(self, page: Page, facts: PageFacts, history: DocumentEditions | None) -> None:
        # A warning fails the strict build; 'mkdocs serve' shows the editor's work in progress all the same.
        report = log.info if self._command == "serve" else log.warning
        source = f"docs/{page.file.src_uri}"
        problems = (
            [missing_cookie_clause(facts, self._banner.cookie_clause, source)]
            if self._banner and page.url == ""
            else []
        )
        if history is not None:
            if history.draft:
                which = f"the draft of edition {history.draft.number} ({source} as it is now)"
            elif history.current:
                which = f"edition {history.current.number} (commit {history.current.commit[:10]}), the current one,"
            else:
                # editions.draft_of: a document without an edition is a draft.
                raise PluginError(f"{source} has neither an edition nor a draft: report this as a bug of the plugin")
            problems.append(missing_clauses(facts, source, which, self.config.clause_anchors))
        for problem in filter(None, problems):
            report(problem)

    def _report_unsafe_links(self, page: Page) -> None:
        # A past edition is history and cannot be corrected: its unsafe links are shown as text quietly.
        report = log.info if page.file.src_uri in self._views else log.warning
        for problem in self._safe_links.found:
            report(
                f"docs/{page.file.src_uri}: the {problem} is shown as plain text: a policy may link only to web "
                f"pages (https://…), e-mail (mailto:) or phone (tel:), and show only images stored in docs/. "
                f"Change it in the Markdown."
            )

    def _report_removed_markup(self, page: Page) -> None:
        policy_page, self._policy_markdown.page = self._policy_markdown.page, None
        if policy_page is None:
            return
        report = log.info if page.file.src_uri in self._views else log.warning
        for problem in policy_page.found:
            report(
                f"docs/{page.file.src_uri}: {problem} is not allowed in a policy and was removed: a policy is "
                f"Markdown text, HTML and attributes written in it never reach the page. Change it in the Markdown."
            )

    def _edition_links(self, view: EditionPageView, config: MkDocsConfig) -> EditionLinks:
        document, commit = view.document.editions_of.path, view.record.edition.commit
        git_docs = view.document.editions_of.source_path[: -len(document)]
        root = self._editions.root
        image_ids = dict(view.record.edition.images)

        def read_image(path: str) -> bytes | None:
            # As it was at the edition's commit: a later change or removal leaves the copy as published.
            repository_path = posixpath.normpath(git_docs + path)
            oid = image_ids.get(repository_path)
            if oid is not None and oid in self._image_blobs:
                return self._image_blobs[oid]
            if root is None:
                return None
            return git_log.files_at_commits(root, [(commit, repository_path)])[0]

        return EditionLinks(document, view.src_uri.removesuffix("index.md"), read_image)

    def _publish_edition_images(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        links, self._edition_links_of_page = self._edition_links_of_page, None
        if links is None:
            return
        for uri, image in links.images.items():
            files.append(File.generated(config, uri, content=image))
        for missing in links.missing:
            # Missing when the edition was published too; history cannot be corrected.
            log.info(
                f"docs/{page.file.src_uri}: the image {missing} is shown as its text: it is not in the edition's "
                f"commit."
            )

    def _editions_of(self, page: Page) -> DocumentEditions | None:
        return self._editions.documents.get(page.file.src_uri)

    # -- the consent banner ---------------------------------------------------------------

    _banner: consent.Banner | None = None
    _style: str = ""

    def _build_banner(self) -> tuple[consent.Banner, consent_assets.Assets] | None:
        """The banner and the script and stylesheet it loads; None when there is nothing to ask."""
        options = self.config.consent
        if not (self.config.enabled and options.enabled):
            return None
        assets = consent_assets.load_assets()
        try:
            banner = consent.build_banner(
                options,
                self._bound_document(),
                os.environ.get(options.metrica_counter_env),
                assets.version,
                policy_url=urls.document_url(self.config.documents[0]),
            )
        except consent.ConsentError as error:
            raise PluginError(f"Consent banner: {error}") from None
        # No optional category, nothing to ask.
        return (banner, assets) if banner.optional else None

    # -- shared with the consent banner ------------------------------------------------

    def _bound_document(self) -> consent.BoundDocument | None:
        """The document consent is given under: ``consent.document``, or else the policy (the first of
        ``documents``). None when it has no published edition yet (no git history)."""
        path = self.config.consent.document or self.config.documents[0]
        document = next((d for d in self._published if d.editions_of.path == path), None)
        if document is None or document.current is None or document.editions_of.consent_edition is None:
            return None
        edition = document.editions_of.consent_edition
        current = document.current
        changes = document.records[edition.number - 1].changes_url
        return consent.BoundDocument(
            source=document.editions_of.source_path,
            title=document.title,
            is_policy=self.config.consent.document is None,
            consent_edition=edition.number,
            current_edition=current.number,
            current_date_text=long_date(current.edition.date),
            current_sha256=current.edition.sha256,
            text_url=current.text_url,
            changes_url=changes,
        )

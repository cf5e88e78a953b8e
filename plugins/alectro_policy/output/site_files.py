"""The files a build writes beside its pages: ``editions.json`` and its schema, each edition's file as
committed, and each document's Atom feed and its history's sitemap."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from jinja2 import Environment

from alectro_published import editions_file

from .. import urls
from .moved import feed_addresses, source_addresses
from .publication import PublishedDocument, editions_file_of

EDITIONS_SCHEMA = "editions.schema.json"
"""The JSON Schema of editions.json, published beside it."""


def write_site_files(
    site_dir: Path,
    documents: list[PublishedDocument],
    environment: Environment,
    site_url: str | None,
    site_name: str,
    timezone: str,
    reader_texts: Mapping[str, str] | None = None,
) -> None:
    """Write into ``site_dir`` the files of ``documents``' editions that are not pages (``environment``: the
    plugin's templates, for the feed; ``site_url`` as mkdocs.yml has it, None for none; ``reader_texts``: the
    ``text_sha256`` of each edition's page, by its ``text_url``)."""
    base = urls.absolute(site_url or "/", "")
    written = editions_file_of(documents, base, timezone, reader_texts)
    (site_dir / editions_file.FILE).write_text(editions_file.dumps(written), encoding="utf-8")
    (site_dir / EDITIONS_SCHEMA).write_bytes(resources.files("alectro_policy").joinpath(EDITIONS_SCHEMA).read_bytes())
    feed = environment.get_template("feed.xml")
    history_sitemap = environment.get_template("history_sitemap.xml")
    # Byte for byte as committed, so that its SHA-256 is the edition's; a moved document's at its old addresses too.
    for url, source in source_addresses(documents):
        (site_dir / url).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / url).write_bytes(source)
    # A moved document's feed stays at its old address too (feed readers follow no meta refresh).
    for document, url in feed_addresses(documents):
        path = site_dir / url
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(feed.render(document=document, site_url=base, site_name=site_name), encoding="utf-8")
    for document in documents:
        path = site_dir / urls.history_sitemap_url(document.url)
        path.write_text(history_sitemap.render(document=document, site_url=base), encoding="utf-8")

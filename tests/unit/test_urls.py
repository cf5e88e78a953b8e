"""Every URL of the plugin's pages comes from one module, for any document path."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alectro_policy import urls
from alectro_policy.urls import page_url

_SEGMENT = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


def test_the_urls_of_a_document_at_the_root_and_in_a_folder():
    # From the document's page as MkDocs publishes it (urls.page_url): "" for index.md, "terms/" for terms.md.
    assert [urls.history_url(page) for page in ("", "terms/", "legal/")] == [
        "editions/",
        "terms/editions/",
        "legal/editions/",
    ]
    assert urls.changes_url("terms/", 3) == "terms/editions/3/changes/"
    assert urls.source_url("", 2) == "editions/2/source.md"
    assert urls.feed_url("") == "editions/feed.xml" and urls.draft_url("") == "editions/draft/"
    assert urls.absolute("https://alectro.ru/privacy", "editions/") == "https://alectro.ru/privacy/editions/"


@given(folders=st.lists(_SEGMENT, max_size=3), name=_SEGMENT, number=st.integers(1, 9999))
def test_a_link_from_a_document_s_page_to_its_history_leads_there_from_any_depth(folders, name, number):
    page = "/".join([*folders, name]) + "/"
    target = urls.edition_url(page, number)
    link = urls.relative(page, target)
    # Resolve the link as a browser would, from the page's folder.
    parts = [p for p in page.split("/") if p]
    for step in link.split("/"):
        if step == "..":
            parts.pop()
        elif step not in ("", "."):
            parts.append(step)
    assert "/".join(parts) + "/" == target


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.md", ""),
        ("README.md", ""),  # MkDocs' index too: a hand-made rule made it README/
        ("terms.md", "terms/"),
        ("legal/index.md", "legal/"),
        ("legal/README.md", "legal/"),
        ("политика доставки.md", "политика доставки/"),  # not percent-encoded: a file's folder, and quoted in links
        ("./index.md", ""),  # "./" as the option 'documents' accepts it
        ("./terms.md", "terms/"),
        ("legal/./index.md", "legal/"),
    ],
)
def test_a_document_s_page_is_where_mkdocs_own_file_puts_it(path, url):
    assert page_url(path) == url


# Folders under docs/, "." among them ("./terms.md" is a path the option 'documents' accepts), never ".." (refused).
FOLDER = st.text(
    st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1, max_size=8
).filter(lambda name: name != "..") | st.just(".")


@given(st.lists(FOLDER, max_size=2), st.sampled_from(["index", "README", "terms", "a b", "%41"]))
def test_a_page_url_is_mkdocs_own_for_any_markdown_file(folders, stem):
    """``urls.page_url`` is MkDocs' ``File.url`` (unquoted), without importing MkDocs outside the adapters."""
    from urllib.parse import unquote

    from mkdocs.structure.files import File

    path = "/".join([*folders, f"{stem}.md"])
    url = File(path, None, "", use_directory_urls=True).url
    assert page_url(path) == ("" if url == "./" else unquote(url))


def test_a_link_is_percent_encoded_its_fragment_kept():
    assert urls.href("условия доставки/editions/2/#p2.1") == (
        "%D1%83%D1%81%D0%BB%D0%BE%D0%B2%D0%B8%D1%8F%20%D0%B4%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B8/editions/2/#p2.1"
    )
    assert urls.href("editions/") == "editions/" and urls.href("") == ""

from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_policy.output.edition_links import EditionLinks, Target, docs_target, media_uri, relative_url
from alectro_policy.urls import page_url


@pytest.mark.parametrize(
    ("url", "document", "target"),
    [
        ("scheme.png", "index.md", Target("scheme.png", "")),
        ("img/%D0%BF%D0%BB%D0%B0%D0%BD%201.png", "index.md", Target("img/план 1.png", "")),
        ("../x.png", "legal/terms.md", Target("x.png", "")),
        ("delivery.md#сроки", "index.md", Target("delivery.md", "#сроки")),
        ("delivery/?a=1", "index.md", Target("delivery/", "?a=1")),
        ("./", "legal/terms.md", Target("legal/", "")),
        ("../../x.png", "legal/terms.md", None),
        ("#p2.1", "index.md", None),
        ("/privacy/x.png", "index.md", None),
        ("https://alectro.ru/x.png", "index.md", None),
        ("//alectro.ru/x.png", "index.md", None),
    ],
)
def test_what_a_relative_url_in_a_document_names(url, document, target):
    assert docs_target(url, document) == target


_SEGMENT = st.text(alphabet="abcпл 1%#?&.", min_size=1, max_size=5).filter(lambda s: s not in (".", ".."))
_PATH = st.lists(_SEGMENT, min_size=0, max_size=3).map("/".join)


@settings(max_examples=300, deadline=None)
@given(_PATH, st.booleans(), _PATH)
def test_a_computed_relative_url_leads_from_the_edition_to_its_target(target, folder_like, page):
    target = target + "/" if folder_like and target else target
    page_folder = f"{page}/editions/3/" if page else "editions/3/"
    site = "https://alectro.ru/privacy/"
    href = relative_url(target, page_folder)
    assert not urlsplit(href).scheme and not href.startswith("/")
    assert unquote(urlsplit(urljoin(site + quote(page_folder), href)).path) == "/privacy/" + target


def test_an_editions_images_live_beside_it():
    assert media_uri("terms/editions/2/", "img/план.png") == "terms/editions/2/media/img/план.png"


def test_an_editions_copy_shows_its_images_from_the_commit_and_links_where_the_pages_were():
    read = []
    committed = {"img/схема.png": b"png"}
    links = EditionLinks(
        "legal/terms.md", "legal/terms/editions/2/", lambda path: read.append(path) or committed.get(path), page_url
    )
    assert (
        links.url("img", "../img/%D1%81%D1%85%D0%B5%D0%BC%D0%B0.png") == "media/img/%D1%81%D1%85%D0%B5%D0%BC%D0%B0.png"
    )
    assert links.url("img", "/legal/../img/схема.png") == "/legal/../img/схема.png"
    assert links.url("img", "../img/схема.png#x") == "media/img/%D1%81%D1%85%D0%B5%D0%BC%D0%B0.png#x"
    assert links.url("img", "gone.png") is None
    assert links.url("a", "delivery.md#сроки") == "../../../delivery/#сроки"
    # Pages where MkDocs publishes them: a folder's README.md is its index; a folder and other files as they are.
    assert links.url("a", "../help/README.md") == "../../../../help/"
    assert links.url("a", "delivery/") == "../../../delivery/" and links.url("a", "a.pdf") == "../../../a.pdf"
    assert links.url("a", "https://alectro.ru/") == "https://alectro.ru/" and links.url("a", "#p1") == "#p1"
    assert links.images == {"legal/terms/editions/2/media/img/схема.png": b"png"}
    assert links.missing == ["gone.png (docs/legal/gone.png)"] and read == ["img/схема.png", "legal/gone.png"]

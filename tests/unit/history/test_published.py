"""The published record as the build reads it: errors that name the file and the fix."""

import json

import pytest

from alectro_policy.history.editions import EditionError
from alectro_policy.history.published import PUBLISHED_ENV, published_from_environment, read_editions_file

EDITION = {
    "number": 1,
    "date": "2026-01-15",
    "commit": "a" * 40,
    "sha256": "b" * 64,
    "summary": "Первая",
    "editorial": False,
    "text_url": "https://alectro.ru/privacy/editions/1/",
    "source_url": "https://alectro.ru/privacy/editions/1/source.md",
    "changes_url": None,
}
DOCUMENT = {"source": "docs/index.md", "title": "Политика", "url": "https://alectro.ru/privacy/", "current_edition": 2}


def editions_json(*documents) -> str:
    return json.dumps(
        {
            "format": 1,
            "site_url": "https://alectro.ru/privacy/",
            "timezone": "Europe/Moscow",
            "documents": list(documents),
        }
    )


def test_the_live_editions_json_gives_each_document_s_published_editions_in_order(tmp_path):
    second = {**EDITION, "number": 2, "date": "2026-02-01", "editorial": True}
    path = tmp_path / "editions.json"
    path.write_text(editions_json({**DOCUMENT, "editions": [second, EDITION]}))
    (first, latest) = read_editions_file(path)["docs/index.md"].editions
    assert (first.number, first.summary, first.editorial) == (1, "Первая", False)
    assert (latest.number, latest.date.isoformat(), latest.editorial) == (2, "2026-02-01", True)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot be read"),
        ("{", "is not an editions.json this plugin wrote"),
        (editions_json({"source": "docs/index.md"}), "is not an editions.json this plugin wrote"),
        (editions_json({**DOCUMENT, "editions": [{**EDITION, "number": 2}]}), "not numbered 1, 2"),
        (editions_json({**DOCUMENT, "editions": [{**EDITION, "date": "20260115"}]}), "not a date YYYY-MM-DD"),
        (json.dumps({"format": 2, "documents": []}), "has format 2"),
    ],
)
def test_a_missing_or_foreign_file_names_itself_and_the_way_out(tmp_path, content, expected):
    path = tmp_path / "editions.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(EditionError) as error:
        read_editions_file(path)
    assert str(path) in str(error.value) and expected in str(error.value)


def test_no_variable_or_an_empty_one_is_a_build_by_git_alone(monkeypatch):
    monkeypatch.delenv(PUBLISHED_ENV, raising=False)
    assert published_from_environment() is None
    monkeypatch.setenv(PUBLISHED_ENV, " ")
    assert published_from_environment() is None

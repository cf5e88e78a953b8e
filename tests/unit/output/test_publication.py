from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from alectro_policy.history.editions import DocumentEditions, State, editions_from_states
from alectro_policy.output import publication
from alectro_policy.output.edition_views import edition_views
from alectro_policy.output.publication import feed_timestamp, published_document
from alectro_policy.urls import page_url

MOSCOW = ZoneInfo("Europe/Moscow")
V1 = "# Политика\n\n1.1. А.\n\n1.2. Б.\n\n1.3. В.\n"
V2 = V1.replace("1.1. А.", "1.1. А!").replace("1.2. Б.", "1.2. Б!")
V3 = V2.replace("1.3. В.\n", "1.4. Г.\n")


def history(*texts: str, path: str = "index.md") -> DocumentEditions:
    states = [
        State(f"{n:040x}", datetime(2026, 1, n + 1, 9, tzinfo=UTC), f"Редакция {n}", "", text.encode())
        for n, text in enumerate(texts, start=1)
    ]
    return DocumentEditions(path, f"docs/{path}", editions_from_states(f"docs/{path}", states, MOSCOW))


def test_change_summary_groups_clauses_with_russian_verbs_and_links():
    document = published_document(history(V1, V2, V3), page_url)
    second, third = document.records[1], document.records[2]
    assert [(g.verb, g.prefix, g.items) for g in second.change_summary()] == [
        ("изменены", "пп.", (("1.1", "editions/2/#p1.1"), ("1.2", "editions/2/#p1.2"))),
    ]
    assert [(g.verb, g.prefix, g.items) for g in third.change_summary()] == [
        ("добавлен", "п.", (("1.4", "editions/3/#p1.4"),)),
        ("исключён", "п.", (("1.3", "editions/2/#p1.3"),)),
    ]


def test_records_know_their_urls_neighbours_and_period_in_force():
    document = published_document(history(V1, V2, V3, path="terms.md"), page_url)
    first, _, last = document.records
    assert (first.text_url, first.changes_url, last.changes_url) == (
        "terms/editions/1/",
        None,
        "terms/editions/3/changes/",
    )
    assert document.history_url == "terms/editions/" and document.feed_url == "terms/editions/feed.xml"
    assert first.in_force_until == date(2026, 1, 2) and last.in_force_until is None and last.is_current
    assert document.title == "Политика"


def test_each_edition_is_compared_with_the_previous_once_for_all_its_pages(monkeypatch):
    compared = []
    compare = publication.compare
    monkeypatch.setattr(publication, "compare", lambda old, new: compared.append(new) or compare(old, new))
    document = published_document(history(V1, V2, V3), page_url)
    # What the history page, the feed and each changes page read.
    for view in edition_views(document):
        record = getattr(view, "record", None)
        if record is not None:
            assert record.change_blocks() is not None and record.change_summary() is not None
    assert compared == [V2, V3]


def test_feed_timestamp_is_midnight_in_the_site_zone():
    assert feed_timestamp(date(2026, 11, 24), MOSCOW) == "2026-11-24T00:00:00+03:00"


def test_preamble_and_sections_are_named_by_their_labels_never_as_numbers():
    v1 = "# Политика\n\nВступление.\n\n## 1. Общие\n\n1.1. А.\n"
    v2 = "# Политика\n\nНовое вступление.\n\n## 1. Общие положения\n\n1.1. А!\n"
    preamble_only = published_document(history(v1, v1.replace("Вступление.", "Другое вступление.")), page_url)
    assert [(g.verb, g.prefix, g.items) for g in preamble_only.records[1].change_summary()] == [
        ("изменено", "", (("вступление", "editions/2/"),)),
    ]
    mixed = published_document(history(v1, v2), page_url)
    assert [(g.verb, g.prefix, g.items) for g in mixed.records[1].change_summary()] == [
        (
            "изменены",
            "",
            (("вступление", "editions/2/"), ("разд. 1", "editions/2/#p1"), ("п. 1.1", "editions/2/#p1.1")),
        ),
    ]

"""What the proof checks records against (consent_published.Published): a problem with it is said, never hidden."""

from __future__ import annotations

import datetime as dt

import pytest

from alectro_deploy import consent_log, consent_published, consent_report, guard
from alectro_deploy.errors import PublishError
from support import CONSENT_ID_A, SHA_2, banner_fields, nginx_line


@pytest.mark.parametrize("zone", ["Europe/Mosсow", "../../etc/passwd", ""])
def test_a_time_zone_editions_json_names_but_no_one_knows_is_said_in_the_proof_and_days_are_utc(zone):
    # "Europe/Mosсow" with a Cyrillic «с»: it looks right and is no zone.
    editions = {
        "timezone": zone,
        "documents": [
            {"source": "docs/cookies.md", "editions": [{"number": 2, "date": "2026-11-20", "sha256": SHA_2}]}
        ],
    }
    published = consent_published.Published(editions, "/site/editions.json", lambda where: None)
    # 23:30 in Moscow on the 19th is the 19th in UTC too, the day before the edition: flagged either way.
    late = dt.datetime(2026, 11, 19, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert published.local_day(late) == "2026-11-19"
    record = consent_log.parse_line(nginx_line(banner_fields(CONSENT_ID_A), time_iso=late.isoformat()).encode())
    assert isinstance(record, consent_log.Record)
    text = "\n".join(consent_report.proof([record], CONSENT_ID_A, published) or [])
    if zone:
        assert f"ВНИМАНИЕ: часовой пояс «{zone}» из /site/editions.json неизвестен" in text
        assert "сверены по UTC" in text
    else:
        # No zone at all: the site's default, Moscow, as the build writes it.
        assert "часовой пояс" not in text


def test_a_known_time_zone_gives_the_sites_day_and_no_warning():
    published = consent_published.Published({"timezone": "Europe/Moscow", "documents": []}, "e.json", lambda w: None)
    assert published.local_day(dt.datetime(2026, 11, 19, 22, 30, tzinfo=dt.UTC)) == "2026-11-20"
    assert published.zone_problem == ""


DEEP = b"[" * 100_000 + b"]" * 100_000
"""JSON nested deeper than Python's stack: json.loads raises RecursionError, not ValueError."""


def test_an_editions_json_nested_deeper_than_the_stack_is_a_read_error_naming_it_not_a_crash(tmp_path):
    path = tmp_path / "editions.json"
    path.write_bytes(DEEP)
    with pytest.raises(consent_log.ProofError, match=f"{path} — не JSON"):
        consent_published.load_editions(str(path))


def test_the_publish_guard_refuses_such_a_live_editions_json_naming_it(tmp_path):
    with pytest.raises(PublishError, match="live/editions.json is not valid JSON"):
        guard.parse_editions(DEEP, "live/editions.json")

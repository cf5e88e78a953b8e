"""A proof bounded by design: one consent's records wait on disk (consent_store), at most RECORDS_IN_MEMORY of them
in memory, and the banner texts are read from the published list, not one request per hash a record names. The
figures for a flood of 200,000 records are bench/consent_proof.py's."""

from __future__ import annotations

import hashlib
import re

from alectro_deploy import consent_log, consent_published, consent_report
from alectro_deploy.consent_store import RECORDS_IN_MEMORY
from support import CONSENT_ID_A, banner_fields, nginx_line

ID = CONSENT_ID_A
START = 1795600000
TEXT = "Мы используем cookies.\n".encode()
TEXT_HASH = hashlib.sha256(TEXT).hexdigest()[:16]


def record(n: int, choice: str, categories: tuple[str, ...], t: int, p: str, h: str = TEXT_HASH) -> consent_log.Record:
    fields = {**banner_fields(ID, v="3", choice=choice, categories=categories, t=str(t), p=p), "h": h}
    parsed = consent_log.parse_line(nginx_line(fields).encode(), "alectro-consent.jsonl", n)
    assert isinstance(parsed, consent_log.Record) and not parsed.problems
    return parsed


def flood(count: int, first: int) -> list[consent_log.Record]:
    """``count`` records someone sent with the ID, each naming a banner text of its own and a choice of its own."""
    return [
        record(first + n, "all", ("necessary", "analytics"), START + 10 + n, str(START + 9 + n), h=f"{n:016x}")
        for n in range(count)
    ]


def test_a_real_choice_after_a_flood_longer_than_the_memory_holds_still_finds_the_choice_it_replaces():
    count = RECORDS_IN_MEMORY + 50
    records = [
        record(1, "all", ("necessary", "analytics"), START, ""),
        *flood(count, 2),
        record(count + 2, "withdraw", ("necessary",), START + 5000, str(START)),
    ]
    lines = consent_report.proof(records, ID, None)
    assert lines is not None
    text = "\n".join(lines)
    assert f"записей {count + 2} " in text
    assert f"в памяти доказательства их не больше {RECORDS_IN_MEMORY} сразу" in text
    last = text[text.index(f"\n{count + 2}. ") :]
    # Judged against choice 1, read back from disk: a withdrawal of what it granted, not a choice «not in the log».
    assert "ОТОЗВАНО согласие на: analytics" in last.split("\n\n")[0]
    assert "которого в журнале нет" not in last.split("\n\n")[0]
    assert re.search(rf"№ {count + 1}, хотя после него записан|хотя после него записан № {count + 1}", last)


def test_forged_banner_text_hashes_cost_no_request_each_the_published_list_is_read_once():
    asked: list[str] = []
    files = {"/site/banner-texts/index.txt": f"{TEXT_HASH}\n".encode(), f"/site/banner-texts/{TEXT_HASH}.txt": TEXT}

    def fetch(where: str) -> bytes | None:
        asked.append(where)
        return files.get(where)

    published = consent_published.Published({"documents": []}, "/site/editions.json", fetch)
    records = [record(1, "all", ("necessary", "analytics"), START, ""), *flood(500, 2)]
    text = "\n".join(consent_report.proof(records, ID, published) or [])
    assert sorted(asked) == sorted(files), "the list, and the one text it names, each read once"
    assert f"{TEXT_HASH}: /site/banner-texts/{TEXT_HASH}.txt (хеш СОВПАДАЕТ)" in text
    assert f"{5:016x}: ТЕКСТ НЕ НАЙДЕН" in text
    assert text.count("ТЕКСТ НЕ НАЙДЕН") == 500


def test_without_a_published_list_only_a_few_texts_are_asked_for_one_by_one_and_the_rest_are_not_checked():
    asked: list[str] = []

    def fetch(where: str) -> bytes | None:
        asked.append(where)
        return None

    published = consent_published.Published({"documents": []}, "/site/editions.json", fetch)
    text = "\n".join(consent_report.proof(flood(100, 1), ID, published) or [])
    assert len(asked) == 1 + consent_published.TEXTS_WITHOUT_INDEX
    assert text.count("ТЕКСТ НЕ НАЙДЕН") == consent_published.TEXTS_WITHOUT_INDEX
    assert text.count("НЕ ПРОВЕРЕНО: не удалось прочитать") == 100 - consent_published.TEXTS_WITHOUT_INDEX


def test_a_key_sent_again_and_again_costs_a_look_up_no_more_however_often_it_was_sent():
    # A flood showing one key, then one whose keys hash to it: each record of the second asks for the records of the
    # first; reading them all would make the proof quadratic in the flood.
    from alectro_deploy.consent_store import ChainStore

    def steps_to_look_up(sent: int) -> int:
        with ChainStore() as store:
            for n in range(1, sent + 1):
                store.add_step(
                    n,
                    None,
                    choice=False,
                    client_time="",
                    request=(n,),
                    replaces=None,
                    categories=(),
                    chain_key="x",
                    rival=0,
                )
            counted = [0]

            def count() -> int:
                counted[0] += 1
                return 0

            store._db.set_progress_handler(count, 1)
            assert store.latest_rivals_with_keys(["x", "y"]) == {"x": 0}
            return counted[0]

    assert steps_to_look_up(2000) == steps_to_look_up(20)

"""One consent's chain as the proof reads it (consent_chain, consent_report.proof): what the banner does in real
life (two tabs, a retry, a re-ask, a withdrawal, a cleared cookie, rotated logs) is said plainly; what it could not
have sent is flagged ВНИМАНИЕ. Pure: records parsed from lines as nginx writes them, no nginx."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import io
import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_deploy import consent_chain, consent_log, consent_proof, consent_report
from support import CONSENT_ID_A, CONSENT_ID_B, SHA_1, SHA_2, banner_fields, nginx_line

ID = CONSENT_ID_A
MOSCOW = dt.timezone(dt.timedelta(hours=3))
START = 1795600000
TEXT_BODY = "Мы используем cookies.\n".encode()
DOC = "docs/cookies.md"
TEXT_HASH = hashlib.sha256(TEXT_BODY).hexdigest()[:16]


def line(choice, categories, t, p, *, ed="2", sha=SHA_2, h=TEXT_HASH, consent_id=ID, doc=DOC, **kw) -> str:
    """A version-3 record as nginx logs it, by default received a second after the browser's time ``t``."""
    fields = banner_fields(
        consent_id, choice=choice, categories=categories, t=str(t), p=str(p), ed=ed, sha=sha, h=h, doc=doc
    )
    return nginx_line({**fields, "v": "3", "h": h, "p": str(p)}, **kw)


def records(*lines: str) -> list[consent_log.Record]:
    parsed = [consent_log.parse_line(text.encode(), "alectro-consent.jsonl", n) for n, text in enumerate(lines, 1)]
    assert all(isinstance(r, consent_log.Record) and not r.problems for r in parsed), parsed
    return parsed  # type: ignore[return-value]


def published(*editions: tuple[int, str, str, bool]) -> consent_report.Published:
    """editions.json of docs/cookies.md with these (number, date, sha256, editorial) editions, and the banner
    text TEXT_BODY published beside it."""
    data = {
        "timezone": "Europe/Moscow",
        "documents": [
            {
                "source": "docs/cookies.md",
                "editions": [
                    {"number": n, "date": d, "sha256": sha, "editorial": editorial, "text_url": f"/e/{n}/"}
                    for n, d, sha, editorial in editions
                ],
            }
        ],
    }
    texts = {f"/site/banner-texts/{TEXT_HASH}.txt": TEXT_BODY}
    return consent_report.Published(data, "/site/editions.json", texts.get)


def warned(chain: consent_chain.Chain) -> dict[int, tuple[str, ...]]:
    return {s.number: s.warnings for s in chain.steps if s.warnings}


def proof_text(*lines: str, catalogue=None) -> str:
    return "\n".join(consent_report.proof(records(*lines), ID, catalogue) or [])


# -- what the banner does: said plainly, no ВНИМАНИЕ --------------------------------------------------------


def test_two_tabs_choosing_at_once_are_a_fork_and_the_proof_says_which_choice_the_log_cannot_order():
    text = proof_text(
        line("all", ("necessary", "analytics"), START, ""),
        line("withdraw", ("necessary",), START + 100, START),
        line("withdraw", ("necessary",), START + 101, START),
    )
    assert "ВНИМАНИЕ" not in text
    assert "РАЗВИЛКА: заменяет выбор № 1, как и № 2, сделанный почти одновременно" in text
    # Both tabs chose the same: what is in force is not in doubt.
    assert "РАЗВИЛКА: выбор" not in text


def test_a_fork_with_different_choices_leaves_the_choice_in_force_in_doubt_until_a_later_choice_settles_it():
    fork = (
        line("all", ("necessary", "analytics", "marketing"), START, ""),
        line("withdraw", ("necessary",), START + 100, START),
        line("withdraw", ("necessary", "analytics"), START + 101, START),
    )
    text = proof_text(*fork)
    assert "Действует выбор № 3" in text
    assert "РАЗВИЛКА: выбор № 2 сделан почти одновременно (другая вкладка)" in text and "ВНИМАНИЕ" not in text
    settled = proof_text(*fork, line("all", ("necessary", "analytics", "marketing"), START + 500, START + 101))
    assert "Действует выбор № 4" in settled and "РАЗВИЛКА: выбор" not in settled and "ВНИМАНИЕ" not in settled


def test_a_request_logged_twice_is_one_choice_and_a_replay_from_elsewhere_is_flagged():
    first = line("all", ("necessary", "analytics"), START, "")
    retried = proof_text(first, first)
    assert "повтор запроса № 1" in retried and "ВНИМАНИЕ" not in retried
    assert "Действует выбор № 1 " in retried
    replayed = proof_text(first, line("all", ("necessary", "analytics"), START, "", addr="198.51.100.9"))
    assert re.search("ВНИМАНИЕ: повтор записи № 1 с другого адреса", replayed)
    assert "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 1" in replayed


def test_a_withdrawal_from_the_footer_link_is_proved_and_the_choice_in_force_says_what_was_withdrawn():
    text = proof_text(
        line("all", ("necessary", "analytics"), START, ""),
        line("withdraw", ("necessary",), START + 3600, START),
    )
    assert "ОТОЗВАНО согласие на: analytics" in text and "ВНИМАНИЕ" not in text
    assert (
        "Действует выбор № 2 от 2026-11-25T10:46:40+00:00: только необходимые cookies; согласие на analytics отозвано."
        in text
    )


def test_a_re_ask_after_a_new_edition_that_the_visitor_leaves_unanswered_stops_the_optional_cookies():
    catalogue = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-30", SHA_2, False))
    text = proof_text(line("all", ("necessary", "analytics"), START, "", ed="1", sha=SHA_1), catalogue=catalogue)
    assert (
        "Редакция 2 от 2026-11-30 новее редакции 1 этого выбора, и по ней баннер спрашивает снова: пока посетитель "
        "не выберет под ней, необязательные cookies (analytics) не используются." in text
    )
    editorial = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-30", SHA_2, True))
    assert "спрашивает снова" not in proof_text(
        line("all", ("necessary", "analytics"), START, "", ed="1", sha=SHA_1), catalogue=editorial
    )


def test_choosing_less_at_a_re_ask_is_a_new_choice_but_a_withdrawal_there_is_flagged():
    catalogue = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-20", SHA_2, False))
    agreed = line("all", ("necessary", "analytics"), START - 10**6, "", ed="1", sha=SHA_1)
    assert "ВНИМАНИЕ" not in proof_text(
        agreed, line("necessary", ("necessary",), START, START - 10**6), catalogue=catalogue
    )
    flagged = proof_text(agreed, line("withdraw", ("necessary",), START, START - 10**6), catalogue=catalogue)
    assert "ВНИМАНИЕ: отзыв при повторном вопросе после новой редакции" in flagged


def test_the_proof_of_an_id_whose_cookie_was_cleared_says_the_log_cannot_see_the_browser_after_its_last_record():
    text = proof_text(
        line("all", ("necessary", "analytics"), START, ""),
        line("necessary", ("necessary",), START + 60, "", consent_id=CONSENT_ID_B),
    )
    assert "записей 1 " in text and (
        "После последней записи журнал не знает, что с cookie в браузере: если посетитель удалил его или истёк "
        "срок, баннер спросит снова под новым идентификатором, и записей с этим больше не будет." in text
    )


def test_a_chain_across_a_logrotate_boundary_and_gzip_members_reads_as_one(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    members = [line("all", ("necessary", "analytics"), START, ""), line("withdraw", ("necessary",), START + 60, START)]
    # logrotate compressed the copy while a second gzip member was appended to it (two members, one file).
    (tmp_path / "alectro-consent.jsonl.2.gz").write_bytes(b"".join(gzip.compress(m.encode()) for m in members))
    (tmp_path / "alectro-consent.jsonl.1").write_text(
        line("custom", ("necessary", "analytics"), START + 120, START + 60)
    )
    log.write_text(line("withdraw", ("necessary",), START + 180, START + 120))
    for path in tmp_path.iterdir():
        path.chmod(0o640)
    out, code = run_main(ID, "--log", str(log))
    assert code == 0 and "ВНИМАНИЕ" not in out
    assert re.findall(r"Выбор: (\w+)", out) == ["all", "withdraw", "custom", "withdraw"]


# -- what the banner could not have sent: flagged --------------------------------------------------------------


@pytest.mark.parametrize(
    "second, warning",
    [
        (
            line("custom", ("necessary",), START + 60, START),
            "убирает согласие на analytics из выбора № 1, но записан как «custom»",
        ),
        (line("withdraw", ("necessary", "analytics"), START + 60, START), "отзыв, но выбор № 1 не разрешал ничего"),
        (
            line("all", ("necessary", "analytics"), START + 60, START - 5),
            "заменяет выбор от 2026-11-25T09:46:35+00:00, которого в журнале нет",
        ),
        (
            line("all", ("necessary", "analytics"), START + 60, START, ed="1", sha=SHA_1),
            "редакция 1 раньше, чем у заменённого выбора № 1",
        ),
        (
            line("all", ("necessary", "analytics"), START + 60, START, time_iso="2026-11-25T15:00:00+03:00"),
            "время выбора в браузере расходится с временем сервера на 2 ч 12 мин",
        ),
    ],
    ids=["dropped but not a withdrawal", "withdrawal of nothing", "previous not in the log", "edition back", "clock"],
)
def test_a_choice_impossible_after_the_one_before_is_flagged(second, warning):
    text = proof_text(line("all", ("necessary", "analytics"), START, ""), second)
    assert f"ВНИМАНИЕ: {warning}" in text
    assert "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 1" in text


def test_a_choice_replacing_an_older_one_than_the_last_recorded_long_after_is_flagged_not_a_fork():
    text = proof_text(
        line("all", ("necessary", "analytics"), START, ""),
        line("withdraw", ("necessary",), START + 60, START),
        line("all", ("necessary", "analytics"), START + 600, START),
    )
    assert "ВНИМАНИЕ: заменяет выбор № 1, хотя после него записан № 2" in text and "РАЗВИЛКА" not in text


@pytest.mark.parametrize(
    "record, warning",
    [
        (
            line("all", ("necessary", "analytics"), START, "", sha="c" * 64),
            "SHA-256 редакции 2 не тот, что опубликован",
        ),
        (line("all", ("necessary", "analytics"), START, "", ed="7"), "редакции 7 нет в editions.json"),
        (line("all", ("necessary", "analytics"), START, "", doc="docs/other.md"), "документа docs/other.md нет"),
        (line("all", ("necessary", "analytics"), START, "", h="f" * 16), f"текст баннера {'f' * 16} не опубликован"),
        (
            line("all", ("necessary", "analytics"), START - 30 * 86400, ""),
            "записан 2026-10-26, раньше публикации редакции 2 (2026-11-20)",
        ),
    ],
    ids=["sha", "edition", "document", "banner text", "before publication"],
)
def test_a_record_naming_what_was_never_published_is_flagged(record, warning):
    catalogue = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-20", SHA_2, False))
    text = proof_text(record, catalogue=catalogue)
    assert f"ВНИМАНИЕ: {warning}" in text
    assert "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 1" in text


def run_main(*argv: str, stderr=False):
    """``make consent-proof``'s command in this process: its stdout (and stderr, if asked) and exit code."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = consent_proof.main(list(argv))
    return (out.getvalue(), err.getvalue(), code) if stderr else (out.getvalue(), code)


def test_flagged_records_keep_exit_code_0_and_an_unknown_id_1(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(line("withdraw", ("necessary",), START, "") + line("all", ("necessary", "analytics"), START, ""))
    log.chmod(0o640)
    out, code = run_main(ID, "--log", str(log))
    assert code == 0 and "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 2" in out
    assert run_main(CONSENT_ID_B, "--log", str(log))[1] == 1


# -- generated: a reference model of the banner against the proof's verdict -----------------------------------

OPTIONAL = ("analytics", "marketing")


def sha_of(edition: int) -> str:
    return hashlib.sha256(f"edition {edition}".encode()).hexdigest()


KEEP = object()
"""The cookie as the tab reads it at the click (the default); a fork passes the one both tabs read."""


@dataclass
class Banner:
    """What consent.js's save() does, and what of it reaches the log: the reference the proof is judged against."""

    clock: int = START
    current: int = 1
    bound: int = 1
    editions: list = field(default_factory=lambda: [(1, "2026-11-01", sha_of(1), False)])
    cookie: tuple | None = None
    """(id, time, edition, categories), as the cookie holds them."""
    ids: int = 0
    lines: list = field(default_factory=list)
    lose_next: bool = False
    logged: set = field(default_factory=set)
    """The browser times of ID's choices that reached the log."""
    doubtful: set = field(default_factory=set)
    """ID's records (by number) that name a choice the log never got: the only ones the proof may flag."""

    def mine(self) -> list[str]:
        return [text for text in self.lines if f'"id": "{ID}"' in text]

    def choose(self, action, custom, saved=KEEP):
        saved = self.cookie if saved is KEEP else saved
        chosen = ("necessary",) + (OPTIONAL if action == "all" else () if action == "necessary" else custom)
        before = saved if saved and saved[2] >= self.bound else None
        withdrawn = before is not None and any(c not in chosen for c in before[3])
        if saved is None:
            self.ids += 1
        consent_id = saved[0] if saved else (ID if self.ids == 1 else f"0c1d2e3f-4a5b-4c6d-8e7f-{self.ids:012x}")
        self.cookie = (consent_id, self.clock, self.current, chosen)
        previous = saved[1] if saved else ""
        sent = dt.datetime.fromtimestamp(self.clock + 1, MOSCOW).isoformat()
        text = line(
            "withdraw" if withdrawn else action,
            chosen,
            self.clock,
            previous,
            ed=str(self.current),
            sha=sha_of(self.current),
            consent_id=consent_id,
            time_iso=sent,
        )
        if self.lose_next:
            self.lose_next = False
            return
        repeated = text in self.lines
        self.lines.append(text)
        if consent_id == ID and not repeated:
            if previous != "" and previous not in self.logged:
                self.doubtful.add(len(self.mine()))
            self.logged.add(self.clock)

    def publish(self, editorial):
        self.current += 1
        if not editorial:
            self.bound = self.current
        day = dt.datetime.fromtimestamp(self.clock, MOSCOW).date().isoformat()
        self.editions.append((self.current, day, sha_of(self.current), editorial))

    def catalogue(self) -> consent_report.Published:
        return published(*self.editions)


CHOICE = st.tuples(
    st.sampled_from(["all", "necessary", "custom"]),
    st.lists(st.sampled_from(OPTIONAL), unique=True).map(lambda cs: tuple(c for c in OPTIONAL if c in cs)),
)
OPERATION = st.one_of(
    st.tuples(st.just("choose"), CHOICE),
    st.tuples(st.just("fork"), st.tuples(CHOICE, CHOICE)),
    st.tuples(st.just("wait"), st.integers(1, 40 * 86400)),
    st.tuples(st.just("publish"), st.booleans()),
    st.tuples(st.just("clear"), st.none()),
    st.tuples(st.just("retry"), st.none()),
    st.tuples(st.just("lose"), st.none()),
)


def play(first, operations) -> Banner:
    """The banner through a first choice (logged) and then ``operations``: choices, two tabs choosing at once, time
    passing, new editions (editorial or not), the cookie cleared, a request logged twice or lost."""
    banner = Banner()
    banner.choose(*first)
    for kind, arg in operations:
        banner.clock += 2
        if kind == "choose":
            banner.choose(*arg)
        elif kind == "fork":
            saved = banner.cookie
            for action, custom in arg:
                banner.choose(action, custom, saved)
        elif kind == "wait":
            banner.clock += arg
        elif kind == "publish":
            banner.publish(arg)
        elif kind == "clear":
            banner.cookie = None
        elif kind == "retry" and banner.lines:
            banner.lines.append(banner.lines[-1])
        elif kind == "lose":
            banner.lose_next = True
    return banner


@settings(max_examples=300, deadline=None)
@given(first=CHOICE, operations=st.lists(OPERATION, max_size=14))
def test_whatever_the_banner_sends_is_never_flagged_and_the_choice_in_force_is_the_cookie_s(first, operations):
    banner = play(first, operations)
    chain = consent_chain.read_chain(records(*banner.mine()), banner.catalogue())
    assert set(warned(chain)) == banner.doubtful, warned(chain)
    cookie = banner.cookie
    if cookie and cookie[0] == ID and chain.in_force.record.client_time == str(cookie[1]):
        assert chain.in_force.record.categories == cookie[3]


FORGERY = st.sampled_from(
    ["label", "orphan", "sha", "text", "clock", "edition", "published later", "version 2", "made by hand"]
)


@settings(max_examples=300, deadline=None)
@given(first=CHOICE, operations=st.lists(OPERATION, max_size=10), forgery=FORGERY)
def test_a_forged_record_appended_to_any_real_chain_is_flagged_and_nothing_before_it_changes(
    first, operations, forgery
):
    banner = play(first, operations)
    honest = banner.mine()
    last = records(honest[-1])[0]
    everything = ("necessary", *OPTIONAL)
    t, sent = banner.clock + 5, banner.clock + 6
    kind, categories, previous = "all", everything, last.client_time
    fields = {"ed": str(banner.current), "sha": sha_of(banner.current), "h": TEXT_HASH}
    if forgery == "label":
        # Under the edition of the choice it replaces: dropping a category is a withdrawal, a withdrawal drops one.
        fields.update(ed=last.edition, sha=last.sha)
        kind, categories = ("custom", ("necessary",)) if len(last.categories) > 1 else ("withdraw", last.categories)
    elif forgery == "orphan":
        previous = str(int(last.client_time) - 1)
    elif forgery == "sha":
        fields["sha"] = "0" * 64
    elif forgery == "text":
        fields["h"] = "0" * 16
    elif forgery == "clock":
        sent += 3 * 3600
    elif forgery == "edition":
        fields.update(ed=str(banner.current + 1), sha=sha_of(banner.current + 1))
    elif forgery == "published later":
        # Logged the day before the edition it names was published.
        day = dt.date.fromisoformat(banner.editions[-1][1]) - dt.timedelta(days=1)
        sent = int(dt.datetime.combine(day, dt.time(12), MOSCOW).timestamp())
        t = sent - 1
    forged = line(kind, categories, t, previous, time_iso=dt.datetime.fromtimestamp(sent, MOSCOW).isoformat(), **fields)
    if forgery == "version 2":
        # Without p and h: nothing to check it against, were it not after version-3 records.
        forged = nginx_line(banner_fields(ID, choice=kind, categories=categories, t=str(t), v="2", **fields))
    elif forgery == "made by hand":
        # curl -G --data 'doc=docs/cookies.md' …: a slash the banner's URLSearchParams writes as %2F.
        forged = forged.replace("docs%2Fcookies.md", "docs/cookies.md")
    parsed = [*records(*honest), consent_log.parse_line(forged.encode(), "alectro-consent.jsonl", len(honest) + 1)]
    chain = consent_chain.read_chain(parsed, banner.catalogue())  # type: ignore[arg-type]
    flagged = {s.number: s.warnings + s.record.problems for s in chain.steps if s.warnings or s.record.problems}
    assert len(honest) + 1 in flagged, (forgery, [s.warnings for s in chain.steps])
    assert set(flagged) - {len(honest) + 1} == banner.doubtful
    text = "\n".join(consent_report.proof(parsed, ID, banner.catalogue()) or [])  # type: ignore[arg-type]
    assert f"ВНИМАНИЕ: записей, которые баннер не отправил бы так: {len(banner.doubtful) + 1}" in text


def test_a_version_2_record_after_version_3_ones_is_flagged_it_would_dodge_the_chain_checks():
    v2 = nginx_line(banner_fields(ID, choice="all", categories=("necessary", "analytics"), t=str(START + 60), v="2"))
    text = proof_text(line("withdraw", ("necessary",), START, ""), v2)
    assert "ВНИМАНИЕ: запись версии 2 после записей версии 3" in text


def test_a_choice_in_force_that_rests_on_a_flagged_record_says_so():
    text = proof_text(
        line("necessary", ("necessary",), START, ""), line("all", ("necessary", "analytics"), START + 60, "")
    )
    assert (
        "Действует выбор № 2 от 2026-11-25T09:47:40+00:00: разрешены analytics (эта запись отмечена ВНИМАНИЕ выше)."
        in text
    )


def test_after_an_edition_that_asks_again_the_last_choice_is_not_called_the_one_in_force():
    catalogue = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-30", SHA_2, False))
    text = proof_text(line("all", ("necessary", "analytics"), START, "", ed="1", sha=SHA_1), catalogue=catalogue)
    assert "Последний выбор № 1 от 2026-11-25T09:46:40+00:00: разрешены analytics." in text
    assert "Действует выбор" not in text


def test_a_copy_being_compressed_by_logrotate_is_read_once_from_its_uncompressed_file(tmp_path):
    first, second = (
        line("all", ("necessary", "analytics"), START, ""),
        line("withdraw", ("necessary",), START + 60, START),
    )
    # logrotate renamed the live log to .1 and is writing .1.gz from it: both exist, the .gz cut short.
    others = "".join(line("all", ("necessary",), START + n, "", consent_id=CONSENT_ID_B) for n in range(300))
    (tmp_path / "alectro-consent.jsonl.1").write_text(first + others + second)
    whole = gzip.compress((first + others + second).encode())
    (tmp_path / "alectro-consent.jsonl.1.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "alectro-consent.jsonl").write_text("")
    for path in tmp_path.iterdir():
        path.chmod(0o640)
    out, err, code = run_main(ID, "--log", str(tmp_path / "alectro-consent.jsonl"), stderr=True)
    assert code == 0 and "записей 2 " in out and "повтор" not in out and "повреждён" not in err


def v2_line(choice, categories, t, consent_id=ID) -> str:
    return nginx_line(banner_fields(consent_id, choice=choice, categories=categories, t=str(t), v="2"))


def test_a_version_2_withdrawal_alone_under_its_id_is_what_that_banner_sent_and_a_second_version_2_record_is_not():
    # Before record version 3 the banner gave every choice a new ID: a withdrawal came under an ID of its own.
    alone = proof_text(v2_line("withdraw", ("necessary",), START))
    assert "ВНИМАНИЕ" not in alone and "отзыв; отозванного выбора в этой цепочке нет" in alone
    assert "отзыв версии 2: баннер тогда давал каждому выбору новый идентификатор" in alone
    second = proof_text(
        v2_line("all", ("necessary", "analytics"), START), v2_line("withdraw", ("necessary",), START + 60)
    )
    assert "ВНИМАНИЕ: вторая запись версии 2 с этим идентификатором (первая — № 1)" in second


def test_the_first_version_3_choice_after_a_version_2_one_continues_its_chain():
    text = proof_text(
        v2_line("all", ("necessary", "analytics"), START),
        line("withdraw", ("necessary",), START + 60, START),
    )
    assert "ВНИМАНИЕ" not in text and "ОТОЗВАНО согласие на: analytics" in text


def test_a_line_of_the_id_that_is_not_a_record_is_named_in_the_proof_and_when_no_record_is_left(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    whole = line("withdraw", ("necessary",), START + 60, START)
    # The withdrawal's line cut short (the disk filled up while nginx wrote it), between two whole records.
    log.write_text(
        line("all", ("necessary", "analytics"), START, "")
        + whole[: len(whole) // 2]
        + "\n"
        + line("all", ("necessary", "analytics"), START + 120, START + 60)
    )
    log.chmod(0o640)
    out, code = run_main(ID, "--log", str(log))
    assert code == 0
    assert f"Строк с этим идентификатором, которые не прочитаны как записи: 1 ({log}:2)" in out
    log.write_text(whole[: len(whole) // 2] + "\n")
    out, err, code = run_main(ID, "--log", str(log), stderr=True)
    assert code == 1 and f"Строк с этим идентификатором, которые не прочитаны как записи: 1 ({log}:1)" in err


def test_a_banner_text_that_could_not_be_read_is_not_checked_rather_than_called_unpublished():
    catalogue = published((2, "2026-11-20", SHA_2, False))

    def unreachable(where):
        raise OSError("сеть недоступна")

    offline = consent_report.Published(catalogue.editions, catalogue.spec, unreachable)
    text = proof_text(line("all", ("necessary", "analytics"), START, ""), catalogue=offline)
    assert "ВНИМАНИЕ" not in text
    # The list of published texts is read first, once: it could not be.
    where = "/site/banner-texts/index.txt"
    assert f"{TEXT_HASH}: НЕ ПРОВЕРЕНО: не удалось прочитать {where} (сеть недоступна)" in text


def test_the_summary_counts_a_retried_request_once_and_says_how_many_retries_it_left_out(tmp_path):
    first = line("all", ("necessary", "analytics"), START, "")
    later = line("all", ("necessary", "analytics"), START, "", time_iso="2026-11-25T13:46:41+03:00")
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(first + first + line("necessary", ("necessary",), START, "", consent_id=CONSENT_ID_B) + later)
    log.chmod(0o640)
    out, code = run_main("--summary", "--log", str(log))
    # The same line an hour later is no retry: the summary counts records, the proof flags it.
    assert code == 0 and out.startswith("Записей о выборе: 3 (файлов журнала: 1)\n")
    assert "Повторов запроса (та же строка с того же адреса и браузера в течение минуты), не посчитаны: 1" in out
    assert "  2026-11-25: 3 (all 2, necessary 1)" in out

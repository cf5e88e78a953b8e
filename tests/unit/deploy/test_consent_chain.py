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
import urllib.parse
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alectro_deploy import (
    consent_chain,
    consent_keys,
    consent_log,
    consent_proof,
    consent_published,
    consent_report,
    consent_step,
)
from support import CONSENT_ID_A, CONSENT_ID_B, SHA_1, SHA_2, banner_fields, nginx_line

ID = CONSENT_ID_A
MOSCOW = dt.timezone(dt.timedelta(hours=3))
START = 1795600000
TEXT_BODY = "Мы используем cookies.\n".encode()
DOC = "docs/cookies.md"
TEXT_HASH = hashlib.sha256(TEXT_BODY).hexdigest()[:16]


def line(
    choice, categories, t, p, *, ed="2", sha=SHA_2, h=TEXT_HASH, consent_id=ID, doc=DOC, k=None, e=None, **kw
) -> str:
    """A version-3 record as nginx logs it (version 4 with a key ``k`` and the cookie's edition ``e``, by default
    ``ed``), by default received a second after the browser's time ``t``."""
    fields = banner_fields(
        consent_id, choice=choice, categories=categories, t=str(t), p=str(p), ed=ed, sha=sha, h=h, doc=doc
    )
    fields = {**fields, "v": "3", "h": h, "p": str(p)}
    return nginx_line({**fields, "v": "4", "k": k, "e": e or ed} if k else fields, **kw)


def records(*lines: str) -> list[consent_log.Record]:
    parsed = [consent_log.parse_line(text.encode(), "alectro-consent.jsonl", n) for n, text in enumerate(lines, 1)]
    assert all(isinstance(r, consent_log.Record) and not r.problems for r in parsed), parsed
    return parsed  # type: ignore[return-value]


def published(*editions: tuple[int, str, str, bool]) -> consent_published.Published:
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
    return consent_published.Published(data, "/site/editions.json", texts.get)


def warned(chain: consent_step.Chain) -> dict[int, tuple[str, ...]]:
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


LINKS = 1000
"""The length of the secret's chain of keys, as the banner's codec (consent-cookie.js) has it."""


def chain_key(secret: str, link: int) -> str:
    """The key the banner's record of the choice at ``link`` shows (consent-cookie.js ``key``)."""
    for _ in range(LINKS - link):
        secret = consent_keys.next_key(secret)
    return secret


def sha_of(edition: int) -> str:
    return hashlib.sha256(f"edition {edition}".encode()).hexdigest()


KEEP = object()
"""The cookie as the tab reads it at the click (the default); a fork passes the one both tabs read."""


@dataclass(frozen=True)
class Cookie:
    id: str
    time: int
    edition: int
    categories: tuple
    secret: str | None
    """None: written by the release before the secret."""
    link: int


@dataclass
class Banner:
    """What consent.js's save() does, and what of it reaches the log: the reference the proof is judged against."""

    clock: int = START
    current: int = 1
    bound: int = 1
    pages: list = field(default_factory=lambda: [(1, 1)])
    """(current, bound) of every release so far: what a tab opened then shows."""
    editions: list = field(default_factory=lambda: [(1, "2026-11-01", sha_of(1), False)])
    cookie: Cookie | None = None
    ids: int = 0
    lines: list = field(default_factory=list)
    lose_next: bool = False
    logged: set = field(default_factory=set)
    """(time, categories) of ID's choices that reached the log."""
    forged: set = field(default_factory=set)
    """The lines someone else sent with ID: each must be flagged as not the browser's."""
    keyed: bool = True
    """This release's banner (records of version 4); False: the release before (version 3, no secret)."""
    logged_times: set = field(default_factory=set)
    doubtful: set = field(default_factory=set)
    """ID's records (by number) the proof may flag: a version-3 one, or the first keyed one, naming a choice whose
    record the log never got (without a key, nothing links them)."""

    def mine(self) -> list[str]:
        return [text for text in self.lines if f'"id": "{ID}"' in text]

    def choose(self, action, custom, saved=KEEP, page=None):
        saved = self.cookie if saved is KEEP else saved
        current, bound = page or (self.current, self.bound)
        chosen = ("necessary",) + (OPTIONAL if action == "all" else () if action == "necessary" else custom)
        before = saved if saved and saved.edition >= bound else None
        withdrawn = before is not None and any(c not in chosen for c in before.categories)
        if saved is None:
            self.ids += 1
        consent_id = saved.id if saved else (ID if self.ids == 1 else f"0c1d2e3f-4a5b-4c6d-8e7f-{self.ids:012x}")
        fresh = f"{self.ids:016x}{self.clock:016x}"
        secret, link = (saved.secret, saved.link + 1) if saved and saved.secret else (fresh, 0)
        kept = max(saved.edition, current) if saved else current
        if not self.keyed:
            secret, link, kept = None, 0, current
        anchor = self.keyed and not (saved and saved.secret)
        self.cookie = Cookie(consent_id, self.clock, kept, chosen, secret, link)
        previous = saved.time if saved else ""
        sent = dt.datetime.fromtimestamp(self.clock + 1, MOSCOW).isoformat()
        text = line(
            "withdraw" if withdrawn else action,
            chosen,
            self.clock,
            previous,
            ed=str(current),
            sha=sha_of(current),
            consent_id=consent_id,
            time_iso=sent,
            k=chain_key(secret, link) if secret else None,
            e=str(kept),
        )
        # A lost first keyed record is the limit of an upgrade: nothing before links the next one to the browser.
        if self.lose_next and not (anchor and consent_id == ID):
            self.lose_next = False
            return
        repeated = text in self.lines
        self.lines.append(text)
        if consent_id == ID and not repeated:
            if (not self.keyed or anchor) and previous != "" and previous not in self.logged_times:
                self.doubtful.add(len(self.mine()))
            self.logged.add((self.clock, chosen))
            self.logged_times.add(self.clock)

    def forge(self, kind, seed):
        """A record with ID sent by someone who learned it (not the browser: no secret), choosing everything."""
        real = [consent_log.parse_line(text.encode()) for text in self.mine() if text not in self.forged]
        if not any(r.version == "4" for r in real):
            # Before the browser's first keyed record, a chain is only as strong as it was (issue 24's premise).
            return
        last = real[-1] if real else None
        fake = hashlib.sha256(f"forger {seed} {len(self.lines)}".encode()).hexdigest()[:32]
        everything = ("necessary", *OPTIONAL)
        when = {"time_iso": dt.datetime.fromtimestamp(self.clock + 1, MOSCOW).isoformat(), "addr": "198.51.100.66"}
        page = {"ed": str(self.current), "sha": sha_of(self.current)}
        previous = last.client_time if last is not None and seed % 2 else ""
        if kind == "key":
            forged = [line("all", everything, self.clock, previous, k=fake, **page, **when)]
        elif kind == "own chain":
            # The forger's own secret: a first choice, then one that continues it.
            forged = [
                line("all", everything, self.clock, "", k=chain_key(fake, 0), **page, **when),
                line("all", everything, self.clock + 1, self.clock, k=chain_key(fake, 1), **page, **when),
            ]
        elif kind == "version 3":
            forged = [line("all", everything, self.clock, previous, **page, **when)]
        elif last is not None:
            # A key the log already holds (read by someone with the log), shown again later; the time of choice is
            # the sender's word: half the time it claims the very second of the choice whose key it copies.
            claimed = int(last.client_time) if seed % 3 else self.clock
            forged = [line("all", everything, claimed, previous, k=last.key, **page, **when)]
        else:
            return
        self.lines += forged
        self.forged.update(forged)

    def publish(self, editorial):
        self.current += 1
        if not editorial:
            self.bound = self.current
        day = dt.datetime.fromtimestamp(self.clock, MOSCOW).date().isoformat()
        self.editions.append((self.current, day, sha_of(self.current), editorial))
        self.pages.append((self.current, self.bound))

    def catalogue(self) -> consent_published.Published:
        return published(*self.editions)


CHOICE = st.tuples(
    st.sampled_from(["all", "necessary", "custom"]),
    st.lists(st.sampled_from(OPTIONAL), unique=True).map(lambda cs: tuple(c for c in OPTIONAL if c in cs)),
)
OPERATION = st.one_of(
    st.tuples(st.just("choose"), CHOICE),
    st.tuples(st.just("fork"), st.tuples(CHOICE, CHOICE)),
    st.tuples(st.just("old tab"), st.tuples(CHOICE, st.integers(0, 20))),
    st.tuples(st.just("wait"), st.integers(1, 40 * 86400)),
    st.tuples(st.just("publish"), st.booleans()),
    st.tuples(st.just("clear"), st.none()),
    st.tuples(st.just("retry"), st.none()),
    st.tuples(st.just("lose"), st.none()),
)
FORGE = st.tuples(
    st.just("forge"), st.tuples(st.sampled_from(["key", "own chain", "version 3", "shown key"]), st.integers(0, 99))
)


def play(first, operations, keyed=True) -> Banner:
    """The banner through a first choice (logged) and then ``operations``: choices, two tabs choosing at once, time
    passing, new editions (editorial or not), the cookie cleared, a request logged twice or lost."""
    banner = Banner(keyed=keyed)
    banner.choose(*first)
    for kind, arg in operations:
        banner.clock += 2
        if kind == "choose":
            banner.choose(*arg)
        elif kind == "fork":
            saved = banner.cookie
            for action, custom in arg:
                banner.choose(action, custom, saved)
        elif kind == "upgrade":
            banner.keyed = True
        elif kind == "old tab" and banner.keyed:
            # A tab opened under an earlier release, before the editions published since.
            (action, custom), age = arg
            banner.choose(action, custom, page=banner.pages[max(0, len(banner.pages) - 1 - age)])
        elif kind == "forge":
            # Someone who reads the log can show a key again, but not within the seconds in which two tabs' records
            # reach the server.
            banner.clock += consent_keys.LOGGED_TOGETHER + 1
            banner.forge(*arg)
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


def check_chain(banner: Banner) -> consent_step.Chain:
    """The proof of ID's records read against the model: no record the browser sent is flagged, every record
    someone else sent is marked as not the browser's, and the choice in force is the one in the cookie."""
    mine = banner.mine()
    chain = consent_chain.read_chain(records(*mine), banner.catalogue())
    forged = {n for n, text in enumerate(mine, 1) if text in banner.forged}
    # Someone else's: marked so, or (a real request copied whole, from another address or later) a flagged repeat,
    # which is no choice either.
    assert {s.number for s in chain.steps if s.foreign} <= forged
    assert forged <= {s.number for s in chain.steps if s.foreign or (s.repeat_of is not None and s.warnings)}
    assert {n for n in warned(chain) if n not in forged} == banner.doubtful, warned(chain)
    held = banner.cookie
    if held is not None and held.id == ID and (held.time, held.categories) in banner.logged:
        assert (chain.in_force.record.client_time, chain.in_force.record.categories) == (
            str(held.time),
            held.categories,
        )
        # The banner asks again exactly when the cookie's edition is older than the one consent is bound to.
        assert bool(chain.asked_again) == (held.edition < banner.bound)
    return chain


@settings(max_examples=300, deadline=None)
@given(first=CHOICE, operations=st.lists(OPERATION, max_size=14))
def test_whatever_the_banner_sends_is_never_flagged_and_the_choice_in_force_is_the_cookie_s(first, operations):
    check_chain(play(first, operations))


@settings(max_examples=200, deadline=None)
@given(first=CHOICE, operations=st.lists(st.one_of(OPERATION, FORGE, st.just(("upgrade", None))), max_size=16))
def test_a_chain_begun_before_the_secret_goes_on_through_the_upgrade_and_then_resists_a_stolen_id(first, operations):
    # The release before this one: records of version 3, a cookie without a secret; the upgrade ships the secret.
    check_chain(play(first, operations, keyed=False))


@settings(max_examples=300, deadline=None)
@given(first=CHOICE, operations=st.lists(st.one_of(OPERATION, FORGE), max_size=16))
def test_records_sent_with_a_stolen_id_are_never_the_browser_s_and_never_the_choice_in_force(first, operations):
    banner = play(first, operations)
    chain = check_chain(banner)
    text = "\n".join(consent_report.proof(records(*banner.lines), ID, banner.catalogue()) or [])
    if any(s.foreign for s in chain.steps):
        assert "сделаны не браузером посетителя (не знают секрета его cookie) и в цепочку не входят" in text
    assert (
        f"Действует выбор № {chain.in_force.number} " in text or f"Последний выбор № {chain.in_force.number} " in text
    )


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
    # Made with the visitor's secret (a cookie edited by hand, a script of the site's own): the next key of ID's
    # chain, so only what the banner would not send gives it away.
    secret = f"{1:016x}{START:016x}"
    link = next(n for n in range(LINKS) if chain_key(secret, n) == last.key)
    fields = {"ed": str(banner.current), "sha": sha_of(banner.current), "h": TEXT_HASH}
    fields["k"] = chain_key(secret, link + 1)
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
        del fields["k"]
        forged = nginx_line(banner_fields(ID, choice=kind, categories=categories, t=str(t), v="2", **fields))
    elif forgery == "made by hand":
        # curl -G --data 'doc=docs/cookies.md' …: a slash the banner's URLSearchParams writes as %2F.
        forged = forged.replace("docs%2Fcookies.md", "docs/cookies.md")
    parsed = [*records(*honest), consent_log.parse_line(forged.encode(), "alectro-consent.jsonl", len(honest) + 1)]
    chain = consent_chain.read_chain(parsed, banner.catalogue())  # type: ignore[arg-type]
    flagged = {s.number: s.warnings + s.record.problems for s in chain.steps if s.warnings or s.record.problems}
    assert len(honest) + 1 in flagged, (forgery, [s.warnings for s in chain.steps])
    assert set(flagged) == {len(honest) + 1}
    text = "\n".join(consent_report.proof(parsed, ID, banner.catalogue()) or [])  # type: ignore[arg-type]
    assert "ВНИМАНИЕ: записей, которые баннер не отправил бы так: 1" in text


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

    offline = consent_published.Published(catalogue.editions, catalogue.spec, unreachable)
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


# -- records only the visitor's browser can continue (record version 4) ---------------------------------------

SECRET = "5ec2e7" * 5 + "00"


def key(link: int) -> str:
    return chain_key(SECRET, link)


def test_records_sent_with_a_stolen_id_are_shown_as_someone_else_s_and_the_real_withdrawal_stays_in_force():
    # Issue 24: a real «Принять все»; a request with the stolen ID and a guessed p half an hour later; the
    # browser's real withdrawal; another forged «all».
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    text = proof_text(
        line("all", ("necessary", "analytics"), START, "", k=key(0)),
        line("all", ("necessary", "analytics"), START + 1800, START, k="0" * 32, **stolen),
        line("withdraw", ("necessary",), START + 3600, START, k=key(1)),
        line("all", ("necessary", "analytics"), START + 3700, START + 3600, k="1" * 32, **stolen),
    )
    assert text.count("ВНИМАНИЕ: СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ: её ключ не продолжает цепочку") == 2
    assert "ОТОЗВАНО согласие на: analytics" in text
    assert (
        "Действует выбор № 3 от 2026-11-25T10:46:40+00:00: только необходимые cookies; согласие на analytics " in text
    )
    assert "в цепочку не входят: 2 (№ 2, 4)" in text


def test_a_lost_request_does_not_break_the_chain_the_next_key_continues_it():
    text = proof_text(
        line("all", ("necessary", "analytics"), START, "", k=key(0)),
        # The choice at START + 60 (key 1) never reached the log.
        line("all", ("necessary", "analytics"), START + 120, START + 60, k=key(2)),
    )
    assert "ВНИМАНИЕ" not in text
    assert "ключ продолжает цепочку выбора № 1 через 1 выбор, записи о которых не дошли до журнала" in text


def test_an_old_tab_s_choice_on_a_page_of_an_older_edition_is_real_and_keeps_the_newer_edition_in_force():
    # Issue 24: tab B accepts under edition 2; tab A, opened under edition 1, then picks «Только необходимые».
    catalogue = published((1, "2026-11-01", SHA_1, False), (2, "2026-11-20", SHA_2, False))
    text = proof_text(
        line("all", ("necessary", "analytics"), START - 10**6, "", ed="1", sha=SHA_1, k=key(0)),
        line("all", ("necessary", "analytics"), START, START - 10**6, k=key(1)),
        line("withdraw", ("necessary",), START + 60, START, ed="1", sha=SHA_1, k=key(2), e="2"),
        catalogue=catalogue,
    )
    assert "ВНИМАНИЕ" not in text
    assert (
        "сделан на странице редакции 1, открытой до редакции 2 (старая вкладка): в cookie осталась редакция 2" in text
    )
    assert "Действует выбор № 3 " in text and "спрашивает снова" not in text


def test_a_key_copied_from_the_log_with_the_time_of_its_choice_is_someone_else_s_not_a_second_tab():
    # The shop's operator reads the real withdrawal's key and sends it back days later, claiming the second of the
    # withdrawal (a second tab's words): the server logged it days later, so no tab sent it, and the withdrawal stays.
    copied = {"addr": "198.51.100.9", "ua": "curl/8.5.0", "time_iso": "2026-12-01T12:00:00+03:00"}
    text = proof_text(
        line("all", ("necessary", "analytics"), START, "", k=key(0)),
        line("withdraw", ("necessary",), START + 3600, START, k=key(1)),
        line("all", ("necessary", "analytics"), START + 3601, START, k=key(1), **copied),
    )
    assert "ВНИМАНИЕ: СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ: её ключ уже показан выбором № 2" in text
    assert "Действует выбор № 2 " in text and "РАЗВИЛКА" not in text


def test_a_key_shown_again_later_and_a_record_without_a_key_after_keyed_ones_are_someone_else_s():
    text = proof_text(
        line("necessary", ("necessary",), START, "", k=key(0)),
        line("all", ("necessary", "analytics"), START + 60, START, k=key(1)),
        line("all", ("necessary", "analytics", "marketing"), START + 600, START, k=key(1)),
        line("all", ("necessary", "analytics", "marketing"), START + 700, START + 60),
        line("all", ("necessary", "analytics", "marketing"), START + 800, "", k=key(0)),
    )
    assert "её ключ уже показан выбором № 2" in text
    assert "запись версии 3 без ключа после записей с ключом" in text
    assert "в цепочку не входят: 3 (№ 3, 4, 5)" in text and "Действует выбор № 2 " in text


def test_the_first_keyed_record_continues_a_cookie_of_the_release_before_and_a_keyless_first_choice_does_not():
    before = line("all", ("necessary", "analytics"), START, "")
    upgraded = proof_text(before, line("withdraw", ("necessary",), START + 60, START, k=key(0)))
    assert "ВНИМАНИЕ" not in upgraded and "первая запись с ключом: cookie прежнего выпуска" in upgraded
    forged = proof_text(before, line("all", ("necessary", "analytics"), START + 60, "", k=key(0)))
    assert "СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ: первый выбор (без предыдущего)" in forged


def test_keys_started_naming_no_recorded_choice_and_the_record_continuing_the_cookie_without_keys_are_two_chains():
    # A consent of the release before (no keys). Someone who learned only its ID sends a keyed «all» with a made-up
    # p, then one continuing their own key; the visitor's browser, its cookie upgraded, then withdraws. Read the
    # other way, it is the same log: the browser's first keyed record lost, its next two, and someone who knew the
    # second of the choice without a key continuing it. So both chains are named and neither is proven the browser's.
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    forger = "f0" * 16
    lines = (
        line("all", ("necessary", "analytics"), START, ""),
        line("all", ("necessary", "analytics"), START + 1800, START + 7, k=chain_key(forger, 0), **stolen),
        line("all", ("necessary", "analytics"), START + 1900, START + 1800, k=chain_key(forger, 1), **stolen),
        line("withdraw", ("necessary",), START + 3600, START, k=key(0)),
        line("all", ("necessary", "analytics"), START + 3700, START + 3600, k=chain_key(forger, 2), **stolen),
    )
    text = proof_text(*lines)
    # The made-up p is flagged where it stands (the browser's request about its choice before may have been lost).
    assert "ВНИМАНИЕ: заменяет выбор от 2026-11-25T09:46:47+00:00, которого в журнале нет" in text
    assert (
        "первая запись с ключом, продолжающая записанный выбор № 1 (cookie прежнего выпуска, без секрета); цепочки "
        "ключей, начатые записями № 2, не называли записанного выбора" in text
    )
    assert "ВНИМАНИЕ: ДРУГАЯ ЦЕПОЧКА КЛЮЧЕЙ (с записи № 2): её ключ продолжает цепочку" in text
    assert "СДЕЛАНА НЕ БРАУЗЕРОМ" not in text and "Действует выбор" not in text
    assert "цепочка с записи № 4 (записей: 1 — № 4): последний выбор № 4 " in text
    assert "цепочка с записи № 2 (записей: 3 — № 2, 3, 5): последний выбор № 5 " in text
    assert warned(consent_chain.read_chain(records(*lines), None)).keys() == {2, 5}


def lost_first_then_forged(*, forger_goes_on=False) -> tuple[str, ...]:
    """The visitor's first keyed choice («Принять все», key 0, at START) never reached the log; someone who learned
    the ID sends a keyed «all» of their own secret first; the browser's withdrawal and its next choice continue the
    browser's own chain (and, if asked, the forger continues theirs)."""
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    forger = "f0" * 16
    lines = (
        line("all", ("necessary", "analytics", "marketing"), START + 1800, "", k=chain_key(forger, 0), **stolen),
        line("withdraw", ("necessary",), START + 3600, START, k=key(1)),
        line("custom", ("necessary", "analytics"), START + 7200, START + 3600, k=key(2)),
    )
    if forger_goes_on:
        lines += (
            line("all", ("necessary", "analytics"), START + 9000, START + 1800, k=chain_key(forger, 1), **stolen),
        )
    return lines


def test_two_chains_of_keys_under_one_id_are_both_named_and_no_choice_is_called_in_force(tmp_path):
    text = proof_text(*lost_first_then_forged())
    # Before: the forged record was «Действует выбор № 1 …: разрешены analytics, marketing» and the browser's own
    # records were called someone else's.
    assert "Действует выбор" not in text and "Последний выбор" not in text and "в цепочку не входят" not in text
    assert "ЦЕПОЧЕК КЛЮЧЕЙ У ЭТОГО СОГЛАСИЯ: 2" in text
    assert (
        "цепочка с записи № 1 (записей: 1 — № 1): последний выбор № 1 от 2026-11-25T10:16:40+00:00: разрешены "
        "analytics, marketing" in text
    )
    assert (
        "цепочка с записи № 2 (записей: 2 — № 2, 3): последний выбор № 3 от 2026-11-25T11:46:40+00:00: разрешены "
        "analytics" in text
    )
    assert "какая из цепочек — браузера посетителя, журнал сам не говорит" in text
    assert "make consent-proof RECEIPT=" in text
    assert text.count("ВНИМАНИЕ: ДРУГАЯ ЦЕПОЧКА КЛЮЧЕЙ (с записи № 2)") == 2
    both = proof_text(*lost_first_then_forged(forger_goes_on=True))
    assert "цепочка с записи № 1 (записей: 2 — № 1, 4): последний выбор № 4 " in both
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text("".join(lost_first_then_forged()))
    log.chmod(0o640)
    out, code = run_main(ID, "--log", str(log))
    assert code == 3 and "ЦЕПОЧЕК КЛЮЧЕЙ У ЭТОГО СОГЛАСИЯ: 2" in out


def test_the_visitor_s_receipt_tells_which_of_two_chains_of_keys_is_the_browser_s(tmp_path):
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text("".join(lost_first_then_forged()))
    log.chmod(0o640)
    receipt = tmp_path / "cookies.txt"
    receipt.write_text(receipt_text(START + 7200, link=2))
    out, code = run_main("--receipt", str(receipt), "--log", str(log))
    assert code == 0 and "КВИТАНЦИЯ СОВПАДАЕТ с записью № 3 " in out
    assert (
        "По квитанции браузер посетителя — цепочка с записи № 2: её последний выбор № 3 — последний выбор "
        "посетителя в журнале; цепочка с записи № 1 — не его браузера." in out
    )
    # The forger's own receipt-like line for their record names the other chain: it is not the visitor's receipt.
    receipt.write_text(receipt_text(START + 1800, ("necessary", "analytics"), code=chain_key("f0" * 16, 0)[:8]))
    out, code = run_main("--receipt", str(receipt), "--log", str(log))
    assert code == 1 and "КВИТАНЦИЯ НЕ СОВПАДАЕТ с записью № 1: категории" in out


def test_a_receipt_tells_the_chain_that_gave_way_from_the_one_continuing_the_cookie_without_keys(tmp_path):
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    forger = "f0" * 16
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(
        line("all", ("necessary", "analytics"), START, "")
        + line("all", ("necessary", "analytics"), START + 1800, START + 7, k=chain_key(forger, 0), **stolen)
        + line("all", ("necessary", "analytics"), START + 1900, START + 1800, k=chain_key(forger, 1), **stolen)
        + line("withdraw", ("necessary",), START + 3600, START, k=key(0))
    )
    log.chmod(0o640)
    assert run_main(ID, "--log", str(log))[1] == 3
    receipt = tmp_path / "cookies.txt"
    receipt.write_text(receipt_text(START + 3600, ("necessary",), link=0))
    out, code = run_main("--receipt", str(receipt), "--log", str(log))
    assert code == 0 and "По квитанции браузер посетителя — цепочка с записи № 4: её последний выбор № 4" in out
    receipt.write_text(receipt_text(START + 1900, code=chain_key(forger, 1)[:8]))
    out, code = run_main("--receipt", str(receipt), "--log", str(log))
    assert code == 0 and "По квитанции браузер посетителя — цепочка с записи № 2: её последний выбор № 3" in out


def test_a_forger_s_own_chain_begun_as_a_first_choice_after_the_browser_s_is_someone_else_s_not_a_second_chain():
    # The banner sends a first choice (no p) only from a browser without the cookie, which then makes a new ID: a
    # chain begun so after this ID's records is nobody's browser's.
    forger = "f0" * 16
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    text = proof_text(
        line("all", ("necessary", "analytics"), START, "", k=key(0)),
        line("withdraw", ("necessary",), START + 3600, START, k=key(1)),
        line("all", ("necessary", "analytics"), START + 4000, "", k=chain_key(forger, 0), **stolen),
        line("all", ("necessary", "analytics"), START + 4100, START + 4000, k=chain_key(forger, 1), **stolen),
    )

    assert "ЦЕПОЧЕК КЛЮЧЕЙ" not in text and "в цепочку не входят: 2 (№ 3, 4)" in text
    assert "Действует выбор № 2 " in text


@settings(max_examples=300, deadline=None)
@given(
    keyless_first=st.booleans(),
    lost=st.booleans(),
    later=st.integers(1, 4),
    forged_p=st.sampled_from(["", "unlogged", "keyless"]),
    forged_more=st.integers(0, 2),
    where=st.lists(st.integers(0, 6), min_size=3, max_size=3),
)
def test_whoever_begins_the_chain_of_keys_the_proof_never_calls_a_forger_s_choice_the_one_in_force(
    keyless_first, lost, later, forged_p, forged_more, where
):
    # The browser: a choice of the release before (no key) or none, its first keyed choice (lost or logged), then
    # `later` keyed choices. Someone who learned the ID sends a keyed record of their own secret, named after a first
    # choice, a made-up one or the choice without a key, and `forged_more` continuing it.
    real = [line("all", ("necessary", "analytics"), START, "")] if keyless_first else []
    previous = str(START) if keyless_first else ""
    browser = []
    for link in range(later + 1):
        t = START + 600 * (link + 1)
        categories = ("necessary", "analytics") if link % 2 == 0 else ("necessary",)
        browser.append(line("custom", categories, t, previous, k=key(link)))
        previous = str(t)
    logged_browser = browser[1:] if lost else browser
    forger = "f0" * 16
    named = {"": "", "unlogged": str(START + 7), "keyless": str(START) if keyless_first else ""}[forged_p]
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    forged = [
        line(
            "all",
            ("necessary", "analytics", "marketing"),
            START + 610 + 10 * n,
            named if n == 0 else str(START + 610 + 10 * (n - 1)),
            k=chain_key(forger, n),
            **stolen,
        )
        for n in range(forged_more + 1)
    ]
    # Interleaved keeping each side's order; the forger's first after the browser's first keyed record was logged
    # (or lost): the ID is nobody's to learn before.
    lines = list(real)
    rest_browser, rest_forged = list(logged_browser), list(forged)
    cut_at = sorted(max(min(w, len(logged_browser)), 0 if lost else 1) for w in where)[: len(forged)]
    for n, text in enumerate(logged_browser):
        while rest_forged and cut_at and cut_at[0] <= n:
            cut_at.pop(0)
            lines.append(rest_forged.pop(0))
        lines.append(text)
        rest_browser.remove(text)
    lines += rest_forged
    chain = consent_chain.read_chain(records(*lines), None)
    numbers = {text: n for n, text in enumerate(lines, 1)}
    mine = {numbers[text] for text in real + logged_browser}
    theirs = {numbers[text] for text in forged}
    # The browser's records are never called someone else's: at worst, another chain the log cannot tell.
    assert not [s.number for s in chain.steps if s.number in mine and s.foreign and s.other_chain is None]
    text = "\n".join(consent_report.proof(records(*lines), ID, None) or [])
    browser_last = numbers[logged_browser[-1]]
    if chain.key_chains:
        assert "Действует выбор" not in text and "журнал сам не говорит" in text
        assert [c.last.number for c in chain.key_chains].count(browser_last) == 1
    else:
        # One chain: the browser's, its last choice in force, every forged record someone else's.
        assert chain.in_force.number == browser_last and f"Действует выбор № {browser_last} " in text
        assert all(s.foreign for s in chain.steps if s.number in theirs)


@pytest.mark.parametrize("spelling", ["+", "%20", "%2B", "%09", "%00"])
def test_an_id_spelled_with_anything_around_it_is_not_that_consent_s_record(spelling):
    real = line("all", ("necessary", "analytics"), START, "", k=key(0))
    odd = real.replace(f'"id": "{ID}"', f'"id": "{spelling}{ID}"')
    parsed = consent_log.parse_line(odd.encode())
    assert isinstance(parsed, consent_log.Record) and parsed.consent_id != ID
    assert consent_report.proof([parsed], ID, None) is None


# -- the visitor's receipt checked against the log (make consent-proof RECEIPT=…) ------------------------------


def receipt_text(t, categories=("necessary", "analytics"), link=0, e="2", h=TEXT_HASH, code=None) -> str:
    """A receipt as consent-receipt.js saves it, of the choice at browser time ``t`` (its words abridged)."""
    check = urllib.parse.urlencode(
        {"v": 1, "id": ID, "code": code or key(link)[:8], "t": t, "c": "+".join(categories), "e": e, "h": h, "doc": DOC}
    )
    words = f"Квитанция о вашем выборе cookies\n\nКод записи о выборе: {key(link)[:8]}\n\n"
    return words + f"Для проверки (эту строку не меняйте): {check}\n"


@pytest.fixture
def logged(tmp_path):
    """A log of a consent: «Принять все», then, by someone who learned the ID, a record naming the first one's code."""
    log = tmp_path / "alectro-consent.jsonl"
    log.write_text(
        line("all", ("necessary", "analytics"), START, "", k=key(0))
        + line("withdraw", ("necessary",), START + 60, START, k=key(1))
        + line("all", ("necessary", "analytics"), START, "", k=key(0)[:8] + "0" * 24, addr="198.51.100.9")
    )
    log.chmod(0o640)
    return log


def test_a_receipt_of_the_choice_is_found_in_the_log_and_said_to_match_and_not_to_be_the_last(logged, tmp_path):
    receipt = tmp_path / "cookies.txt"
    receipt.write_text(receipt_text(START))
    out, code = run_main("--receipt", str(receipt), "--log", str(logged))
    assert code == 0
    assert f"Квитанция {receipt}: согласие {ID}, выбор от 2026-11-25T09:46:40+00:00, код записи {key(0)[:8]}" in out
    assert "КВИТАНЦИЯ СОВПАДАЕТ с записью № 1 " in out
    # What matched, in words: a receipt whose words were edited («Что вы разрешили: Необходимые») shows against it.
    assert (
        "По квитанции и записи: выбор от 2026-11-25T09:46:40+00:00, разрешены analytics, редакция 2, текст баннера "
        f"{TEXT_HASH}. Сверяется строка «Для проверки (эту строку не меняйте): …»; если слова квитанции над ней "
        "говорят иное, они изменены после сохранения." in out
    )
    assert "После выбора по квитанции в цепочке есть более поздние: последний — № 2." in out
    receipt.write_text(receipt_text(START + 60, ("necessary",), link=1))
    out, code = run_main("--receipt", str(receipt), "--log", str(logged))
    assert code == 0 and "КВИТАНЦИЯ СОВПАДАЕТ с записью № 2 " in out and "последний в цепочке (№ 2)" in out
    assert "разрешены" not in out and "выбор от 2026-11-25T09:47:40+00:00, только необходимые cookies" in out


@pytest.mark.parametrize(
    "receipt, said",
    [
        (
            receipt_text(START, ("necessary", "analytics", "marketing")),
            "КВИТАНЦИЯ НЕ СОВПАДАЕТ с записью № 1: категории",
        ),
        (receipt_text(START, h="f" * 16), "КВИТАНЦИЯ НЕ СОВПАДАЕТ с записью № 1: текст баннера"),
        (receipt_text(START + 1), "ЗАПИСИ ПО КВИТАНЦИИ НЕТ"),
        (receipt_text(START, code="0" * 8), "ЗАПИСИ ПО КВИТАНЦИИ НЕТ"),
    ],
    ids=["categories", "banner text", "time", "code"],
)
def test_a_receipt_that_says_otherwise_than_the_log_or_names_no_record_fails_the_check(logged, tmp_path, receipt, said):
    path = tmp_path / "cookies.txt"
    path.write_text(receipt)
    out, code = run_main("--receipt", str(path), "--log", str(logged))
    assert code == 1 and said in out


def test_a_file_that_is_not_a_receipt_or_whose_line_was_edited_is_refused_naming_it(logged, tmp_path):
    path = tmp_path / "cookies.txt"
    path.write_text("Квитанция\n")
    _, err, code = run_main("--receipt", str(path), "--log", str(logged), stderr=True)
    assert code == 2 and f"{path} — не квитанция баннера" in err
    path.write_text(receipt_text(START).replace("code=", "code=x"))
    _, err, code = run_main("--receipt", str(path), "--log", str(logged), stderr=True)
    assert code == 2 and "строка для проверки изменена или обрезана" in err


def test_a_category_the_banner_never_offered_is_flagged_by_the_text_it_names():
    # Issue 24: c=necessary+marketing from a banner that offered analytics alone read «разрешены marketing».
    body = "Мы используем cookies.\n[переключатель: necessary]\nНеобходимые\n[переключатель: analytics]\nАналитика\n"
    text_hash = hashlib.sha256(body.encode()).hexdigest()[:16]
    catalogue = published((2, "2026-11-20", SHA_2, False))
    catalogue = consent_published.Published(
        catalogue.editions, catalogue.spec, {f"/site/banner-texts/{text_hash}.txt": body.encode()}.get
    )
    offered = proof_text(line("all", ("necessary", "analytics"), START, "", h=text_hash), catalogue=catalogue)
    assert "ВНИМАНИЕ" not in offered
    never = proof_text(line("custom", ("necessary", "marketing"), START, "", h=text_hash), catalogue=catalogue)
    assert f"ВНИМАНИЕ: категорий marketing баннер с текстом {text_hash} не предлагал" in never


def test_the_proof_reads_the_categories_offered_from_the_banner_text_as_the_build_writes_it():
    from alectro_policy.consent import shown_text

    html = (
        '<template id="alectro-consent"><section><p>Мы используем cookies.</p><div data-consent-panel hidden>'
        '<input type="checkbox" value="necessary" checked disabled><label>Необходимые</label>'
        '<input type="checkbox" value="analytics"><label>Аналитика</label></div></section></template>'
    )
    texts = shown_text.shown_texts(html)
    assert consent_published.offered_categories(texts["ask"]) == {"necessary", "analytics"}
    # A text published before the switches were named in it says nothing: not checked.
    assert consent_published.offered_categories("Мы используем cookies.\nАналитика\n") is None


def test_two_tabs_upgrading_at_once_each_start_a_secret_and_a_later_start_is_a_chain_the_log_cannot_tell_apart():
    other = "0ther5ecret" * 2 + "0" * 10

    def other_key(link):
        return chain_key(other, link)

    upgraded = (
        line("all", ("necessary", "analytics"), START, ""),
        # Two tabs continue the same cookie of the release before, at once: two secrets.
        line("withdraw", ("necessary",), START + 60, START, k=key(0)),
        line("withdraw", ("necessary",), START + 61, START, k=other_key(0)),
        # The cookie the second tab wrote is the one that stayed: its chain goes on.
        line("all", ("necessary", "analytics"), START + 120, START + 61, k=other_key(1)),
    )
    stolen = {"addr": "198.51.100.9"}
    # A keyed record continuing the same cookie later: the browser's first keyed record, had someone who knew the ID
    # and the time of its choice sent the three before it (the log cannot tell).
    text = proof_text(*upgraded, line("all", ("necessary", "analytics"), START + 900, START, k="5" * 32, **stolen))
    assert "РАЗВИЛКА" in text and "СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ" not in text
    assert (
        "ВНИМАНИЕ: ДРУГАЯ ЦЕПОЧКА КЛЮЧЕЙ (с записи № 5): её ключ не продолжает цепочку ключей этого согласия, а "
        "заменяет она выбор № 1, записанный без ключа (cookie прежнего выпуска)" in text
    )
    assert "ЦЕПОЧЕК КЛЮЧЕЙ У ЭТОГО СОГЛАСИЯ: 2" in text and "Действует выбор" not in text
    assert "цепочка с записи № 2 (записей: 3 — № 2, 3, 4): последний выбор № 4 " in text
    assert "цепочка с записи № 5 (записей: 1 — № 5): последний выбор № 5 " in text
    # One naming a keyed choice whose key it does not continue is no browser's: its cookie would hold that key.
    text = proof_text(*upgraded, line("all", ("necessary", "analytics"), START + 900, START + 61, k="5" * 32, **stolen))
    assert text.count("ВНИМАНИЕ: СДЕЛАНА НЕ БРАУЗЕРОМ ЭТОГО СОГЛАСИЯ") == 1 and "ЦЕПОЧЕК КЛЮЧЕЙ" not in text
    assert "в цепочку не входят: 1 (№ 5)" in text and "Действует выбор № 4 " in text


def test_a_keyed_record_sent_before_the_browser_s_first_one_after_an_upgrade_is_not_called_the_browser_s():
    # The guide's old limit: someone who knows the ID and the second of the last choice without a key sends a keyed
    # record continuing it before the browser does; the browser's own first keyed record then looked someone else's.
    forger = "f0" * 16
    stolen = {"addr": "198.51.100.9", "ua": "curl/8.5.0"}
    text = proof_text(
        line("all", ("necessary", "analytics"), START, ""),
        line("all", ("necessary", "analytics", "marketing"), START + 60, START, k=chain_key(forger, 0), **stolen),
        line("withdraw", ("necessary",), START + 3600, START, k=key(0)),
    )
    assert "СДЕЛАНА НЕ БРАУЗЕРОМ" not in text and "Действует выбор" not in text
    assert "ВНИМАНИЕ: ДРУГАЯ ЦЕПОЧКА КЛЮЧЕЙ (с записи № 3)" in text
    assert "цепочка с записи № 2 (записей: 1 — № 2): последний выбор № 2 " in text
    assert "цепочка с записи № 3 (записей: 1 — № 3): последний выбор № 3 " in text

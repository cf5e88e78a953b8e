"""One record judged against the ones before it in its chain and against the published editions.json and banner
texts: each rule is one of the banner's save(), so what it would not have sent is said (ВНИМАНИЕ), and what is merely
unusual but the banner does is said plainly."""

from __future__ import annotations

from alectro_deploy.consent_keys import Seen, foreign_step, secret_started
from alectro_deploy.consent_log import SECONDS, Record, cut
from alectro_deploy.consent_step import (
    RETRY_WINDOW,
    SAME_MOMENT,
    Catalogue,
    Step,
    client_time,
    edition_number,
    seconds_apart,
    server_seconds_apart,
    server_time,
)

CLOCK_TOLERANCE = 3600
"""Seconds the browser's time of a choice may differ from the server's time of its record: the request is sent at
once, so more is a visitor's clock set wrong, or a record not sent by the banner."""


# One record judged against its chain: each branch is one rule of the banner's save(), in the order it applies them.
def judge_step(record: Record, number: int, seen: Seen, published: Catalogue | None) -> Step:  # noqa: C901, PLR0912
    warnings: list[str] = []
    notes: list[str] = []
    repeated = seen.repeated(record)
    if repeated is not None:
        gap = server_seconds_apart(repeated.record, record)
        if (
            (repeated.record.addr, repeated.record.ua) == (record.addr, record.ua)
            and gap is not None
            and gap <= RETRY_WINDOW
        ):
            notes.append(
                f"повтор запроса № {repeated.number} (тот же запрос ещё раз: повтор браузера или вторая вкладка): "
                "не новый выбор"
            )
        else:
            warnings.append(
                f"повтор записи № {repeated.number} с другого адреса или браузера либо позже чем через "
                f"{RETRY_WINDOW} с: баннер отправляет каждый выбор один раз"
            )
        return Step(
            record,
            number,
            repeat_of=repeated.number,
            warnings=tuple(warnings),
            notes=tuple(notes),
            foreign=repeated.foreign,
        )
    linked = seen.follows(record.key) if record.version == "4" and seen.keyed else None
    fork, taken = secret_started(record, seen, linked)
    if taken is not None:
        return _taking_over(record, number, taken, seen, published)
    foreign = foreign_step(record, number, seen, linked, fork)
    if foreign is not None:
        return foreign
    latest = seen.latest
    replaced: Step | None = None
    judged = True
    if linked is not None:
        replaced, links = linked
        if links > 1:
            # The choice it replaced is one whose record never came: nothing to judge the label against.
            judged = False
            notes.append(
                f"ключ продолжает цепочку выбора № {replaced.number} через {links - 1} "
                f"{'выбор' if links == 2 else 'выбора'}, записи о которых не дошли до журнала (сеть, блокировщик)"
            )
            replaced = None
        elif record.previous != replaced.record.client_time:
            warnings.append(
                f"ключ продолжает выбор № {replaced.number}, но время заменённого выбора в записи другое "
                f"({client_time(record.previous)}): баннер отправляет оба из одного cookie"
            )
    elif record.version not in ("3", "4"):
        # Before record version 3 the banner gave every choice a new ID: a record is alone in its chain.
        judged = False
        if seen.version_3:
            warnings.append(
                f"запись версии {cut(record.version)} после записей версии 3: баннер этого выпуска её не отправит, "
                "а без p и h её не сверить с предыдущим выбором и текстом баннера — старая страница из кэша или "
                "подделка"
            )
        elif latest is not None:
            warnings.append(
                f"вторая запись версии {cut(record.version)} с этим идентификатором (первая — № {latest.number}): "
                "баннер до версии 3 давал каждому выбору новый идентификатор"
            )
        elif record.choice == "withdraw":
            notes.append(
                "отзыв версии 2: баннер тогда давал каждому выбору новый идентификатор, отозванный выбор записан "
                "под другим"
            )
    elif record.previous:
        replaced = seen.at_time(record.previous)
        judged = replaced is not None
        if replaced is None:
            warnings.append(
                f"заменяет выбор от {client_time(record.previous)}, которого в журнале нет: запрос о нём не дошёл "
                "(сеть, блокировщик), он удалён по сроку хранения, сделан до журнала — или запись подделана"
            )
        elif record.version == "4" and replaced.record.version != "4":
            notes.append(
                f"первая запись с ключом: cookie прежнего выпуска (без секрета) продолжен, выбор № {replaced.number} "
                "записан ещё без ключа"
            )
    elif latest is not None:
        warnings.append(
            f"первый выбор (без предыдущего), хотя у этого идентификатора уже есть выбор № {latest.number}: "
            "баннер сохраняет идентификатор только вместе с предыдущим выбором"
        )
    if replaced is not None and latest is not None and replaced.number != latest.number:
        apart = seconds_apart(record, latest.record)
        if apart is not None and apart <= SAME_MOMENT:
            notes.append(
                f"РАЗВИЛКА: заменяет выбор № {replaced.number}, как и № {latest.number}, сделанный почти "
                "одновременно: два выбора в двух вкладках; в браузере остался записанный в cookie последним"
            )
        else:
            warnings.append(
                f"заменяет выбор № {replaced.number}, хотя после него записан № {latest.number}: баннер читает "
                "cookie в момент выбора — старый cookie восстановлен или запись подделана"
            )
    if record.version == "4" and record.kept_edition != record.edition:
        notes.append(
            f"сделан на странице редакции {record.edition}, открытой до редакции {record.kept_edition} (старая "
            f"вкладка): в cookie осталась редакция {record.kept_edition}"
        )
    if judged:
        warnings += _choice_problems(record, replaced, published)
    warnings += _clock_problems(record, latest.record if latest else None)
    if published is not None:
        warnings += _published_problems(record, published)
    return Step(
        record,
        number,
        replaces=replaced.number if replaced else None,
        warnings=tuple(warnings),
        notes=tuple(notes),
        anchor=record.version == "4" and linked is None,
    )


def _taking_over(record: Record, number: int, taken: Step, seen: Seen, published: Catalogue | None) -> Step:
    """``record``, which continues ``taken`` (a cookie without a secret) after secrets started naming no recorded
    choice: the browser's, judged against ``taken``; the keys before it are someone else's chain."""
    orphans = ", ".join(f"№ {a.number}" for a in seen.anchors)
    notes = [
        f"первая запись с ключом, продолжающая записанный выбор № {taken.number} (cookie прежнего выпуска, без "
        f"секрета); цепочки ключей, начатые записями {orphans}, не называли записанного выбора — их мог начать "
        "любой, кто знает идентификатор, но так выглядит и цепочка браузера, чья первая запись с ключом не дошла до "
        "журнала, а эту запись тогда сделал кто-то, кто знает и время выбора до секунды: дальше цепочка идёт от "
        "этой записи, а те — другая цепочка ключей; какая из них — браузера посетителя, журнал сам не говорит (см. "
        "конец доказательства)"
    ]
    warnings = _choice_problems(record, taken, published) + _clock_problems(record, taken.record)
    if published is not None:
        warnings += _published_problems(record, published)
    return Step(
        record,
        number,
        replaces=taken.number,
        warnings=tuple(warnings),
        notes=tuple(notes),
        takes_over=True,
        anchor=True,
    )


def _choice_problems(record: Record, previous: Step | None, published: Catalogue | None) -> list[str]:
    """Whether the banner could send ``record``'s choice after ``previous`` (None: a first choice)."""
    if previous is None:
        return ["отзыв без предыдущего выбора: отзывать нечего"] if record.choice == "withdraw" else []
    before = previous.record
    # What the cookie held: a tab of an older edition leaves the newer one in it (version 4, consent.js save).
    edition = previous.kept_edition
    problems = []
    old, new = edition_number(before.edition), edition_number(record.edition)
    if (
        record.version != "4"
        and old is not None
        and new is not None
        and new < old
        and _same_document(before, record, published)
    ):
        problems.append(
            f"редакция {record.edition} раньше, чем у заменённого выбора № {previous.number} "
            f"({before.edition}): старая страница из кэша браузера или запись подделана"
        )
    dropped = [c for c in before.categories if c not in record.categories]
    still_valid = _still_valid(before, edition, record, published)
    if record.choice == "withdraw":
        if still_valid is False:
            problems.append(
                "отзыв при повторном вопросе после новой редакции: баннер записал бы выбор, а не отзыв "
                "(прежний выбор под новой редакцией уже не действует)"
            )
        elif not dropped:
            problems.append(f"отзыв, но выбор № {previous.number} не разрешал ничего сверх этого выбора")
    elif dropped and still_valid:
        problems.append(
            f"убирает согласие на {', '.join(dropped)} из выбора № {previous.number}, но записан как "
            f"«{record.choice}»: баннер записал бы отзыв (withdraw)"
        )
    return problems


def _still_valid(before: Record, edition: str, record: Record, published: Catalogue | None) -> bool | None:
    """Whether ``before``, kept in the cookie under ``edition``, was still a valid choice when ``record`` was made,
    as the banner decides (no edition after it that asks again, up to ``record``'s): None when editions.json is
    needed to tell and not given."""
    old, new = edition_number(edition), edition_number(record.edition)
    if old is None or new is None or not _same_document(before, record, published):
        return None
    if new <= old:
        return True
    if published is None:
        return None
    document = published.document(record.doc)
    if document is None:
        return None
    return not any(
        isinstance(e, dict) and isinstance(e.get("number"), int) and old < e["number"] <= new and not e.get("editorial")
        for e in document.get("editions") or []
    )


def _same_document(a: Record, b: Record, published: Catalogue | None) -> bool:
    if a.doc == b.doc:
        return True
    # A document moved between the two choices keeps the visitor's consent (editions.json's former_sources).
    return (
        published is not None
        and published.document(a.doc) is not None
        and (published.document(a.doc) is published.document(b.doc))
    )


def _clock_problems(record: Record, latest: Record | None) -> list[str]:
    problems = []
    server = server_time(record)
    if server is not None and SECONDS.fullmatch(record.client_time):
        apart = abs(int(record.client_time) - server.timestamp())
        if apart > CLOCK_TOLERANCE:
            problems.append(
                f"время выбора в браузере расходится с временем сервера на {_duration(apart)}: часы посетителя "
                "(или сервера — тогда так у всех записей этих дней) неверны, или запись подделана"
            )
    if latest is not None and SECONDS.fullmatch(record.client_time) and SECONDS.fullmatch(latest.client_time):
        if int(record.client_time) < int(latest.client_time):
            problems.append("время в браузере раньше, чем у предыдущей записи (часы посетителя переставлены?)")
    return problems


def _published_problems(record: Record, published: Catalogue) -> list[str]:
    problems = []
    found = published.edition(record.doc, record.edition)
    if published.document(record.doc) is None:
        problems.append(f"документа {cut(record.doc)} нет в editions.json")
    elif found is None:
        problems.append(f"редакции {cut(record.edition)} нет в editions.json")
    else:
        if str(found.get("sha256", "")).lower() != record.sha:
            problems.append(f"SHA-256 редакции {record.edition} не тот, что опубликован в editions.json")
        server = server_time(record)
        if server is not None and isinstance(found.get("date"), str) and published.local_day(server) < found["date"]:
            problems.append(
                f"записан {published.local_day(server)}, раньше публикации редакции {record.edition} "
                f"({found['date']}): такой страницы ещё не было"
            )
    offered = published.offered(record.banner_text) if record.banner_text else None
    never = [c for c in record.categories if offered is not None and c not in offered]
    if never:
        problems.append(f"категорий {', '.join(map(cut, never))} баннер с текстом {record.banner_text} не предлагал")
    if record.banner_text and published.text_published(record.banner_text) is False:
        problems.append(f"текст баннера {cut(record.banner_text)} не опубликован рядом с editions.json")
    return problems


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return (f"{days} дн. " if days else "") + f"{hours} ч {minutes} мин"

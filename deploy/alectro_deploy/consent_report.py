"""The proof of one consent, as lines of text, from the consent log; what it checks each record against is read
by :mod:`alectro_deploy.consent_published`, the summary of all choices is :mod:`alectro_deploy.consent_summary`.

One consent is one chain: the banner keeps the consent ID across the visitor's later choices and the re-asks
after a new edition, so every record with the ID belongs to it, in log order (``consent_files``). The proof prints
each choice, what it changed against the one it replaced (granted, withdrawn), and the choice in force at the end;
``consent_judge`` judges each record, and the proof flags what the banner would not have sent without dropping it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from alectro_deploy.consent_chain import ChainReader
from alectro_deploy.consent_log import Record, cut
from alectro_deploy.consent_published import Published, check_edition
from alectro_deploy.consent_receipt import ReceiptCheck
from alectro_deploy.consent_step import Chain, Step, client_time
from alectro_deploy.consent_store import RECORDS_IN_MEMORY, ChainStore

CHOICE_LABELS = {
    "all": "принять все",
    "necessary": "только необходимые",
    "custom": "выборочно",
    "withdraw": "отзыв согласия",
}
SHOWN_FOREIGN = 20
"""How many numbers of records made by someone else the end of a proof lists (the records themselves are above)."""


def _change(before: Record | None, record: Record) -> str:
    optional = [c for c in record.categories if c != "necessary"]
    if before is None and record.choice == "withdraw":
        return "отзыв; отозванного выбора в этой цепочке нет"
    if before is None:
        return "согласие дано на: " + (", ".join(optional) if optional else "только необходимые cookies")
    granted = [c for c in record.categories if c not in before.categories]
    withdrawn = [c for c in before.categories if c not in record.categories]
    parts = ([f"разрешено: {', '.join(granted)}"] if granted else []) + (
        [f"ОТОЗВАНО согласие на: {', '.join(withdrawn)}"] if withdrawn else []
    )
    if (record.doc, record.edition) != (before.doc, before.edition):
        parts.insert(0, f"выбор под новой редакцией {record.edition}")
    return "; ".join(parts) if parts else "выбор подтверждён без изменений"


def proof(records: Iterable[Record], consent_id: str, published: Published | None) -> list[str] | None:
    """The proof of consent ``consent_id`` from its ``records`` in log order, as lines of text; None if there
    is none. With ``published``, each record is checked against the editions and banner texts published."""
    with ChainStore() as store:
        lines = proof_lines(store, records, consent_id, published)
        return None if lines is None else list(lines)


class Verdict:
    """What a proof concluded, known once its lines are all read (its exit code)."""

    def __init__(self) -> None:
        self.chain: Chain | None = None

    @property
    def untold(self) -> bool:
        """Whether the records make several chains of keys: the log alone does not tell the browser's."""
        return self.chain is not None and bool(self.chain.key_chains)


def proof_lines(
    store: ChainStore,
    records: Iterable[Record],
    consent_id: str,
    published: Published | None,
    logs: int = 1,
    receipt: ReceiptCheck | None = None,
    verdict: Verdict | None = None,
) -> Iterator[str] | None:
    """The proof of :func:`proof`, line by line as its records are judged (``records`` from ``logs`` servers):
    they are read into ``store`` first (None if none has the ID), then judged from it, so that at most
    :data:`~alectro_deploy.consent_store.RECORDS_IN_MEMORY` of them are in memory at once, however many. With
    ``receipt``, it ends with what the log says of the visitor's receipt."""
    for record in records:
        if record.consent_id == consent_id:
            store.add_record(record)
    if not store.records:
        return None
    return _proof_body(store, consent_id, published, logs, receipt, verdict or Verdict())


def _proof_body(
    store: ChainStore,
    consent_id: str,
    published: Published | None,
    logs: int,
    receipt: ReceiptCheck | None,
    verdict: Verdict,
) -> Iterator[str]:
    order = (
        "в порядке записи в журнал: файлы от старых к новым, строки по порядку"
        if logs == 1
        else f"журналы {logs} серверов сведены по времени сервера, в одну секунду — в порядке, в котором названы; "
        "в каждом журнале — в порядке записи"
    )
    yield f"Согласие {consent_id}: записей {store.records} ({order})"
    if published is not None and published.zone_problem:
        yield f"ВНИМАНИЕ: {published.zone_problem}"
    if store.records > RECORDS_IN_MEMORY:
        yield (
            f"Записей больше {RECORDS_IN_MEMORY}: в памяти доказательства их не больше {RECORDS_IN_MEMORY} сразу, "
            "остальные ждут во временном файле — любой поток записей с этим идентификатором прочитан весь."
        )
    yield ""
    reader = ChainReader(store, published)
    flagged_count = 0
    foreign_count, foreign = 0, list[int]()
    for record in store.all_records():
        step = reader.read(record)
        flagged_count += bool(record.problems or step.warnings)
        if step.foreign and step.other_chain is None:
            foreign_count += 1
            if len(foreign) < SHOWN_FOREIGN:
                foreign.append(step.number)
        if receipt is not None:
            receipt.see(step)
        yield from _step_lines(step, reader.step(step.replaces).record if step.replaces else None)
    yield ""
    chain = reader.chain()
    verdict.chain = chain
    yield from _in_force(chain)
    if flagged_count:
        yield f"ВНИМАНИЕ: записей, которые баннер не отправил бы так: {flagged_count} (отмечены выше)"
    if foreign_count:
        shown = ", ".join(map(str, foreign)) + (" …" if foreign_count > len(foreign) else "")
        yield (
            f"Из них сделаны не браузером посетителя (не знают секрета его cookie) и в цепочку не входят: "
            f"{foreign_count} (№ {shown})"
        )
    yield ""
    yield "Редакции документа, под которыми дан выбор:"
    for doc, edition, sha in store.editions():
        yield f"{cut(doc)}, редакция {cut(edition)}, SHA-256 {cut(sha)}"
        yield from (
            check_edition(published.editions, doc, edition, sha)
            if published
            else ["  не проверено: editions.json не указан (EDITIONS=)"]
        )
    first = True
    for text_hash in store.banner_texts():
        if first:
            yield from ("", "Тексты баннера, которые видел посетитель:")
            first = False
        yield from _text_lines(text_hash, published)
    if receipt is not None:
        yield ""
        yield from receipt.lines(chain)


def _step_lines(step: Step, before: Record | None) -> Iterator[str]:
    record = step.record
    if record.problems:
        change = "запись не так, как отправляет баннер"
    elif step.other_chain is not None:
        change = f"в другой цепочке ключей (с записи № {step.other_chain}): чей это выбор, журнал сам не говорит"
    elif step.foreign:
        change = "сделана не браузером посетителя: не выбор посетителя"
    elif step.repeat_of:
        change = f"повтор записи № {step.repeat_of}, не новый выбор"
    else:
        change = _change(before, record)
    yield from (
        f"{step.number}. {cut(record.time)} (время сервера); "
        f"время выбора в браузере: {client_time(record.client_time)}",
        f"   Выбор: {cut(record.choice)} ({CHOICE_LABELS.get(record.choice, 'неизвестный')}): {change}",
        f"   Категории: {cut(', '.join(record.categories)) or '—'}",
        f"   Документ: {cut(record.doc)}, редакция {cut(record.edition)}, SHA-256 {cut(record.sha)}",
    )
    if record.banner_text:
        yield f"   Текст баннера: {cut(record.banner_text)}"
    if record.key:
        yield f"   Ключ: {cut(record.key)} (код записи {cut(record.key[:8])})"
    yield from (f"   Адрес: {cut(record.addr)}", f"   Браузер: {cut(record.ua)}", f"   Запись: {record.source}")
    if record.problems:
        yield "   Не так, как отправляет баннер: " + "; ".join(record.problems)
    yield from (f"   {note}" for note in step.notes)
    yield from (f"   ВНИМАНИЕ: {warning}" for warning in step.warnings)


def _text_lines(text_hash: str, published: Published | None) -> Iterator[str]:
    if published is None:
        yield f"{cut(text_hash)}: не проверено: editions.json не указан (EDITIONS=)"
        return
    found = published.banner_text(text_hash)
    if found.error:
        yield f"{cut(text_hash)}: НЕ ПРОВЕРЕНО: не удалось прочитать {found.where} ({found.error})"
    elif found.text is None:
        yield f"{cut(text_hash)}: ТЕКСТ НЕ НАЙДЕН: {cut(found.where)}"
    else:
        yield f"{text_hash}: {found.where} (хеш СОВПАДАЕТ)"
        yield from (f"  | {line}" for line in found.text.splitlines())


_UNKNOWN_COOKIE = (
    "После последней записи журнал не знает, что с cookie в браузере: если посетитель удалил его или истёк срок, "
    "баннер спросит снова под новым идентификатором, и записей с этим больше не будет."
)


def _granted(record: Record) -> str:
    optional = [c for c in record.categories if c != "necessary"]
    return f"разрешены {', '.join(optional)}" if optional else "только необходимые cookies"


def _key_chains(chain: Chain) -> list[str]:
    """What the log says when its records make several chains of keys: each, and that it cannot tell which is the
    browser's, so that no choice is proven in force (the exit code says so too)."""
    lines = [
        f"ЦЕПОЧЕК КЛЮЧЕЙ У ЭТОГО СОГЛАСИЯ: {chain.key_chain_count} — ключи записей каждой продолжают друг друга, "
        "но не ключи другой:"
    ]
    for key_chain in chain.key_chains:
        last = key_chain.last
        numbers = ", ".join(map(str, key_chain.numbers)) + (" …" if key_chain.count > len(key_chain.numbers) else "")
        lines.append(
            f"  цепочка с записи № {key_chain.first} (записей: {key_chain.count} — № {numbers}): последний выбор "
            f"№ {last.number} от {client_time(last.record.client_time)}: {_granted(last.record)}"
            + (
                " (эта запись отмечена ВНИМАНИЕ выше)"
                if last.record.problems or (last.warnings and not last.foreign)
                else ""
            )
        )
    if chain.key_chain_count > len(chain.key_chains):
        lines.append(f"  и ещё {chain.key_chain_count - len(chain.key_chains)} (их записи выше)")
    lines += [
        "Одну из цепочек начинает браузер посетителя, другую — кто-то, кто знает идентификатор: если первая запись "
        "браузера с ключом не дошла до журнала (сеть, блокировщик), а чужая пришла раньше, цепочку этого согласия "
        "начинает чужая, и настоящие записи браузера её не продолжают. Поэтому какая из цепочек — браузера "
        "посетителя, журнал сам не говорит, и действующий выбор по нему не доказан.",
        "Решает квитанция посетителя: make consent-proof RECEIPT=<файл> — код записи (начало её ключа) и время выбора "
        "в квитанции, которую сохранил браузер посетителя, называют запись его цепочки.",
        _UNKNOWN_COOKIE,
    ]
    return lines


def _in_force(chain: Chain) -> list[str]:
    """What the log says of the choice in force at its end, and what it cannot know."""
    if chain.key_chains:
        return _key_chains(chain)
    last = chain.in_force.record
    optional = [c for c in last.categories if c != "necessary"]
    withdrawn = sorted(chain.granted - set(last.categories))
    granted = _granted(last)
    # After an edition that asks again the last choice no longer lets the optional cookies run: not «in force».
    head = "Последний выбор" if chain.asked_again else "Действует выбор"
    flagged = chain.in_force.warnings or last.problems
    lines = [
        f"{head} № {chain.in_force.number} от {client_time(last.client_time)}: {granted}"
        + (f"; согласие на {', '.join(withdrawn)} отозвано" if withdrawn else "")
        + (" (эта запись отмечена ВНИМАНИЕ выше)" if flagged else "")
        + "."
    ]
    if chain.rivals:
        others = ", ".join(f"№ {s.number}" for s in chain.rivals)
        lines.append(
            f"РАЗВИЛКА: выбор {others} сделан почти одновременно (другая вкладка), заменяет тот же выбор, но с другими "
            "категориями: в браузере остался тот, что записан в cookie последним; журнал получил последним "
            f"№ {chain.in_force.number}, но порядок записи в cookie он не доказывает."
        )
    if chain.asked_again:
        edition = chain.asked_again[0]
        lines.append(
            # «Newer», not «published after»: a choice made on a page cached from before it names the older edition.
            f"Редакция {edition.get('number')} от {edition.get('date')} новее редакции "
            f"{cut(chain.in_force.kept_edition)} этого выбора, и по ней баннер спрашивает снова: пока посетитель не "
            "выберет под ней, "
            + (
                f"необязательные cookies ({', '.join(optional)}) не используются."
                if optional
                else "ничего не меняется."
            )
            + " Выбора под ней с этим идентификатором в журнале нет."
        )
    lines.append(_UNKNOWN_COOKIE)
    return lines

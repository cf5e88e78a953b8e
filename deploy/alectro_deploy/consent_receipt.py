"""The visitor's receipt of a choice (plugins/alectro_policy/consent/static/consent-receipt.js) read back and checked
against the consent log: ``make consent-proof RECEIPT=file``.

The receipt is a text file in Russian for the visitor; its last line, «Для проверки (эту строку не меняйте): …», is
for the shop: the query of what the cookie held (``v=1``, the consent ``id``, ``code``: the first 8 hex digits of the
key the choice's record shows, ``t``: the browser time of the choice, ``c``: its categories, ``e``: the edition the
cookie kept, ``h``: the banner text it was made on, ``doc``: the document). The record it names is the one with the
ID whose key starts with the code and whose browser time is ``t``: the proof says whether it is there, whether the
rest agrees, whether it is the browser's (not someone else's) and whether it is the choice in force.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from alectro_deploy.consent_log import SECONDS, UUID4, ProofError, Record, cut
from alectro_deploy.consent_step import Chain, Step, client_time

LINE = "Для проверки (эту строку не меняйте): "
"""How the receipt's line for the shop starts (consent-receipt.js)."""
_CODE = re.compile(r"[0-9a-f]{8}")
_TEXT = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class Receipt:
    """What a receipt says of the choice the visitor's cookie held when it was saved."""

    path: str
    consent_id: str
    code: str
    client_time: str
    categories: tuple[str, ...]
    edition: str
    banner_text: str
    doc: str
    """Empty when the receipt was saved on a page bound to another document than the choice's."""

    def names(self, record: Record) -> bool:
        """Whether ``record`` is the record of this receipt's choice: its ID, its key's code and its time."""
        return (
            record.consent_id == self.consent_id
            and record.key.startswith(self.code)
            and record.client_time == self.client_time
        )

    def differences(self, step: Step) -> list[str]:
        """What the receipt says otherwise than the record of ``step``."""
        record = step.record
        pairs = [
            ("категории", "+".join(self.categories), "+".join(record.categories)),
            ("редакция в cookie", self.edition, step.kept_edition),
            ("текст баннера", self.banner_text, record.banner_text),
        ]
        if self.doc:
            pairs.append(("документ", self.doc, record.doc))
        return [
            f"{name}: в квитанции {cut(mine)}, в записи {cut(logged)}" for name, mine, logged in pairs if mine != logged
        ]


def read_receipt(path: str) -> Receipt:
    """The receipt saved in the file ``path``. Raises :class:`ProofError` naming the file and what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ProofError(f"не удалось прочитать квитанцию {path}: {error.strerror or error}") from error
    found = [line[len(LINE) :] for line in text.splitlines() if line.startswith(LINE)]
    if len(found) != 1:
        raise ProofError(
            f"{path} — не квитанция баннера: в ней нет строки «{LINE.rstrip()} …» (или их несколько); "
            "укажите в RECEIPT= файл, который сохранил посетитель"
        )
    fields = {key: values[0] for key, values in urllib.parse.parse_qs(found[0], keep_blank_values=True).items()}
    receipt = Receipt(
        path=path,
        consent_id=fields.get("id", "").lower(),
        code=fields.get("code", "").lower(),
        client_time=fields.get("t", ""),
        categories=tuple(part for part in fields.get("c", "").split("+") if part),
        edition=fields.get("e", ""),
        banner_text=fields.get("h", "").lower(),
        doc=fields.get("doc", ""),
    )
    valid = (
        fields.get("v") == "1"
        and UUID4.fullmatch(receipt.consent_id)
        and _CODE.fullmatch(receipt.code)
        and SECONDS.fullmatch(receipt.client_time)
        and _TEXT.fullmatch(receipt.banner_text)
    )
    if not valid:
        raise ProofError(
            f"{path}: строка для проверки изменена или обрезана (нужны v=1, id, code, t, h): «{cut(found[0])}»"
        )
    return receipt


class ReceiptCheck:
    """Watches a proof's steps for the record a receipt names (the browser's own first, if several do). When the
    records make several chains of keys, the receipt's tells which is the browser's: the visitor's browser saved it."""

    def __init__(self, receipt: Receipt):
        self.receipt = receipt
        self.found: Step | None = None

    def see(self, step: Step) -> None:
        if step.repeat_of is None and self.receipt.names(step.record) and (self.found is None or self.found.foreign):
            self.found = step

    def lines(self, chain: Chain | None) -> list[str]:
        """What the proof says of the receipt, at its end; ``chain`` is None when the ID has no record."""
        receipt, step = self.receipt, self.found
        head = (
            f"Квитанция {receipt.path}: согласие {receipt.consent_id}, выбор от {client_time(receipt.client_time)}, "
            f"код записи {receipt.code}"
        )
        if step is None:
            return [
                head,
                "ЗАПИСИ ПО КВИТАНЦИИ НЕТ: в журнале нет записи с этим идентификатором, кодом и временем выбора — "
                "запрос о выборе не дошёл до сервера (сеть, блокировщик) или запись удалена",
            ]
        differences = receipt.differences(step)
        lines = [head]
        if differences:
            lines.append(f"КВИТАНЦИЯ НЕ СОВПАДАЕТ с записью № {step.number}: " + "; ".join(differences))
        else:
            optional = [c for c in receipt.categories if c != "necessary"]
            lines += [
                f"КВИТАНЦИЯ СОВПАДАЕТ с записью № {step.number} ({step.record.source}): категории, редакция и текст "
                "баннера те же",
                # What was checked, in words: the receipt's own words above its line are the visitor's copy, and
                # an edit there changes nothing in its line.
                f"По квитанции и записи: выбор от {client_time(receipt.client_time)}, "
                + (f"разрешены {', '.join(optional)}" if optional else "только необходимые cookies")
                + f", редакция {receipt.edition}, текст баннера {receipt.banner_text}. Сверяется строка «{LINE.strip()}"
                " …»; если слова квитанции над ней говорят иное, они изменены после сохранения.",
            ]
        key_chain = chain.key_chain_of(step) if chain is not None else None
        if step.foreign and key_chain is None:
            lines.append(f"ВНИМАНИЕ: запись № {step.number} сделана не браузером этого согласия (отмечена выше)")
        elif (step.warnings and not step.foreign) or step.record.problems:
            lines.append(f"ВНИМАНИЕ: запись № {step.number} отмечена выше")
        if chain is not None and key_chain is not None and not differences:
            others = [f"№ {c.first}" for c in chain.key_chains if c is not key_chain]
            lines.append(
                f"По квитанции браузер посетителя — цепочка с записи № {key_chain.first}: её последний выбор "
                f"№ {key_chain.last.number} — последний выбор посетителя в журнале; "
                + (f"цепочка с записи {others[0]}" if len(others) == 1 else f"цепочки с записей {', '.join(others)}")
                + " — не его браузера."
            )
        last = key_chain.last if key_chain is not None else chain.in_force if chain is not None else None
        if last is not None and (not step.foreign or key_chain is not None):
            if last.number == step.number:
                lines.append(f"Выбор по квитанции — последний в цепочке (№ {step.number}).")
            else:
                lines.append(f"После выбора по квитанции в цепочке есть более поздние: последний — № {last.number}.")
        return lines

    @property
    def matched(self) -> bool:
        """Whether the record the receipt names is in the log and says the same."""
        return (
            self.found is not None
            and (not self.found.foreign or self.found.other_chain is not None)
            and not self.receipt.differences(self.found)
        )

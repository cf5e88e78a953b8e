"""What would be published: each document as it is now against its edition in force, as Markdown.

``make changes`` prints it in a terminal; CI writes it into a pull request's job summary. The clauses and
words are the site's own (``publication.published_document``, ``changes.compare``): one implementation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..dates import long_date
from ..history.branch import MAIN_BRANCH
from ..history.editions import DocumentEditions
from ..output.publication import EditionRecord, document_title, pending_record
from ..text import plain
from ..text.clauses import CLAUSE_ANCHOR, Clause, clause_with_words, split_clauses
from ..text.diff import ClauseChange, followed
from ..text.edit_kind import SubstantiveChange, substantive_change


@dataclass(frozen=True)
class NextEdition:
    """One document: the edition in force at the base, and the edition its current text would make (or None)."""

    editions_of: DocumentEditions
    """The document's editions at the base revision."""
    record: EditionRecord | None
    """The would-be edition compared with the one in force; None when a reader would see no change."""
    marked_editorial: bool
    """Whether the change is editorial: every commit of the branch that changes the text carries
    ``Edition: editorial``, nothing is uncommitted (``main_line.arrival_message``), and the text allows it
    (``text.edit_kind``)."""
    summary: str = ""
    """The summary the history of editions will show when the merge carries the title (a merge commit; a squash
    of several commits); without a title, the messages of the branch's commits that changed it."""
    unmarked_by_squash: bool = False
    """Editorial, but not once squashed with GitHub's default message, which lists every commit's message: some
    commit that changes nothing a reader sees lacks the trailer (``main_line.marks_editorial``)."""
    substantive: SubstantiveChange | None = None
    """What makes the change substantive by its text (``text.edit_kind``), whatever any trailer says."""
    trailer: bool = False
    """Whether the branch's commits mark the change editorial (``Edition: editorial``)."""
    without_title: str = ""
    """The summary a merge that does not carry the title publishes (Rebase and merge; GitHub's squash of one
    commit, whose message it takes): the commits' own; equal to ``summary`` when there is no title."""
    messages: int = 0
    """How many commits of a person's the branch brings."""

    @property
    def title(self) -> str:
        current = self.editions_of.current
        return document_title(current.text, self.editions_of.path, current.source) if current else self.editions_of.path


def next_edition(base: DocumentEditions, url: str, title: str | None = None) -> NextEdition:
    """Return what publishing the document as it is now would make of ``base``, its editions at the base revision
    and its draft (``history.editions.pending_edition``: text and pictures against the edition in force, with the
    summary and mark of the branch's commits, ``DocumentEditions.draft_message``).

    ``url`` is the document's page (``urls.page_url``); ``title``: the merge's message (a pull request's title),
    the summary instead of the commits' when the merge carries it (``plain.one_line``: as every page shows it).
    """
    if base.draft is None:
        return NextEdition(base, None, False)
    own = plain.one_line(base.draft.summary)
    summary = plain.one_line(title or "") or own
    message = base.draft_message
    current = base.current
    substantive = substantive_change(current.text, base.draft.text) if current is not None else None
    trailer = message is not None and message.editorial
    editorial = base.draft.editorial  # the trailer's, unless the text refused it (history.editions.editorial_mark)
    edition = replace(base.draft, summary=summary, editorial=editorial)
    squash_differs = editorial and message is not None and not message.listed_editorial
    return NextEdition(
        base,
        pending_record(base, edition, url),
        editorial,
        summary,
        squash_differs,
        substantive,
        trailer,
        own,
        message.messages if message is not None else 0,
    )


def cookie_clause_notice(option: str, policy: NextEdition) -> str | None:
    """Return a notice (Markdown) when the clause the banner links moves in the policy's next edition ``policy``:
    the option ``consent.cookie_clause`` (``option``: an anchor or words, ``config_options.ClauseName``) then leads
    elsewhere, or follows it to a new number, or finds no clause and the build will refuse; None otherwise."""
    record = policy.record
    if record is None or record.previous is None:
        return None
    before, after = record.previous.text, record.edition.text
    setting = f"`consent: cookie_clause: {option}` в `mkdocs.yml`"
    anchor = CLAUSE_ANCHOR.fullmatch(option)
    if anchor is None:
        old, new = _with_words(before, option), _with_words(after, option)
        if new is None:
            return (
                f"**Сборка откажется: баннер cookies не найдёт свой пункт.** Пункт о cookies указан словами "
                f"({setting}), а в новой редакции их нет ни в одном пункте или они есть в нескольких. Укажите "
                f"слова, которые есть только в пункте о cookies."
            )
        if old is not None and old.key != new.key:
            return (
                f"**Баннер cookies:** пункт о cookies станет {new.label} (был {old.label}); баннер указан словами "
                f"пункта ({setting}) и будет ссылаться на {new.label}."
            )
        return None
    key = anchor[1]
    was = next((clause for clause in split_clauses(before) if clause.key == key), None)
    if was is None:
        return None
    became = followed(before, after, key)
    if became is not None and became.key == key:
        return None
    fate = f"станет {became.label}" if became is not None else "исключается"
    suggestion = f"`cookie_clause: {became.key}` или " if became is not None else ""
    return (
        f"**Баннер cookies поведёт не на тот пункт.** Он ссылается на {was.label} ({setting}), а этот пункт "
        f'{fate}. Укажите {suggestion}слова самого пункта, например `cookie_clause: "{_first_words(was)}"`: '
        f"по словам ссылка идёт за пунктом при любой нумерации."
    )


def _with_words(markdown: str, words: str) -> Clause | None:
    try:
        return clause_with_words(markdown, words)
    except ValueError:
        return None


def _first_words(clause: Clause, count: int = 6) -> str:
    """The first words of ``clause`` after its number, to quote in ``mkdocs.yml``."""
    words = clause.text.split("\n", 1)[0].split()[1:]
    return " ".join(words[:count]).replace('"', "").replace("`", "").rstrip(",.;:")


# -- the report ---------------------------------------------------------------------------------

# Escaped wherever they stand: they make emphasis, code, links, HTML, tables, headings, quotes, entities.
_MARKUP_ANYWHERE = re.compile(r"([\\`*_~\[\]<>|#&!])")
# Escaped at the start of a line only: there they make a list, a rule or a heading's underline.
_MARKUP_AT_LINE_START = re.compile(r"^([-+=:])|^(\d+)([.)])(?=\s|$)")


def _escaped(text: str) -> str:
    """Return ``text`` as GitHub Flavored Markdown that shows exactly it (no emphasis, link, list or rule made of
    it), still readable in a terminal: ordinary punctuation stays as it is. Lines end in hard breaks."""

    def line_of(line: str) -> str:
        line = _MARKUP_ANYWHERE.sub(r"\\\1", line)
        return _MARKUP_AT_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line)

    return "  \n".join(line_of(line) for line in text.split("\n"))


def _marked(change: ClauseChange) -> str:
    parts = []
    for segment in change.segments:
        text = _escaped(segment.text)
        if segment.kind == "inserted":
            parts.append(f"**{text}**")
        elif segment.kind == "deleted":
            parts.append(f"~~{text}~~")
        else:
            parts.append(text)
    return "".join(parts)


def _summary(record: EditionRecord) -> str:
    groups = record.change_summary()
    if not groups and record.images_changed:
        # As the history of editions says it (theme/editions.html).
        return "Изменены изображения."
    if not groups:
        return "Пункты не изменились, изменилось оформление (например, выделение)."
    sentences = [
        # Clause labels hold the policy's own text (a heading's title): shown as it is, never as markup.
        f"{group.verb} {group.prefix} {', '.join(_escaped(text) for text, _ in group.items)}".replace("  ", " ")
        for group in groups
    ]
    text = "; ".join(sentences)
    return text[:1].upper() + text[1:] + "."


def report(
    documents: list[NextEdition],
    base_name: str,
    notices: Sequence[str] = (),
    deleted: Sequence[str] = (),
    restore_from: str = MAIN_BRANCH,
) -> str:
    """Return the Markdown report: per document, the new edition's number, its kind, the clauses and words.

    ``base_name`` is Markdown (``"`main`"``); ``notices`` are sentences (Markdown) about the comparison;
    ``deleted`` the published documents the change removes; ``restore_from`` a revision that holds them (the base's
    commit: ``main`` itself no longer does once the deletion is committed there)."""
    lines = ["# Что будет опубликовано", "", f"Сравнение с действующими редакциями в {base_name}.", ""]
    for notice in notices:
        lines += [notice, ""]
    for path in deleted:
        lines += [
            f"## `{_escaped(path)}`: удаление опубликованного документа",
            "",
            f"**Эта правка удаляет опубликованный документ** `{_escaped(path)}`. Сайт с ней не соберётся, "
            f"пока документ указан в `documents` в `mkdocs.yml`, а его редакции останутся в истории. Если файл "
            f"удалён по ошибке, верните его: `git checkout {restore_from} -- {_escaped(path)}`.",
            "",
        ]
    changed = [document for document in documents if document.record is not None]
    if not changed and deleted:
        return "\n".join(lines).rstrip("\n") + "\n"
    if not changed:
        lines.append("Новой редакции не будет: текст документов в том виде, в каком его видит читатель, не изменился.")
        return "\n".join(lines) + "\n"
    for document in documents:
        source = document.editions_of.source_path
        lines.append(f"## {_escaped(document.title)} (`{source}`)")
        lines.append("")
        record = document.record
        if record is None:
            lines += ["Без изменений: новой редакции не будет.", ""]
            continue
        if record.previous is None:
            lines += [f"**Редакция № {record.number}** — первая редакция документа.", ""]
        else:
            in_force = long_date(record.previous.date)
            lines.append(
                f"**Редакция № {record.number}** заменит действующую редакцию № {record.previous.number} "
                f"от {in_force}{'' if in_force.endswith('.') else '.'}"
            )
            lines += _kind_lines(document)
            lines += _summary_lines(document)
            lines += ["", _summary(record), ""]
        for change in record.changed:
            # A clause that only moved has the same words: its heading says all («П. 4.3 стал п. 5.3»).
            text = "Текст не изменился." if change.status == "moved" else _marked(change)
            lines += [f"### {_escaped(change.heading)}", "", text, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _kind_lines(document: NextEdition) -> list[str]:
    """The edition's kind, and what the editor can do about it."""
    if document.marked_editorial:
        lines = ["Вид правки: **редакционная** (`Edition: editorial`): нового согласия посетителей не спросят."]
        if document.unmarked_by_squash:
            lines.append(
                "Но при **Squash and merge** с сообщением GitHub по умолчанию (список сообщений коммитов) правка "
                "станет по существу: не каждый пункт «* …» этого списка закончится строкой `Edition: editorial` "
                "(в нём нет этой строки у какого-то коммита ветки, или в тексте коммита есть список «* …» с "
                "пустыми строками между пунктами, и GitHub прочтёт его пункты как сообщения других коммитов). "
                "Слейте кнопкой **Create a merge commit** или **Rebase and merge**, или добавьте эту строку в "
                "конец сообщения каждого коммита ветки и пишите списки в сообщениях без пустых строк между пунктами."
            )
        return lines
    lines = ["Вид правки: **по существу**: посетители снова увидят баннер и дадут согласие заново."]
    reason = document.substantive
    if reason is not None and document.trailer:
        lines.append(
            f"Строка `Edition: editorial` не действует: {_escaped(str(reason))}. Такая правка меняет смысл "
            "(guides/editor.md, «Редакционная правка»), и редакционной её не сделает никакое сообщение."
        )
    elif reason is not None:
        lines.append(f"По тексту это правка по существу: {_escaped(str(reason))}.")
    else:
        lines.append(
            "Если это опечатка, строка `Edition: editorial` нужна в конце сообщения каждого коммита ветки, "
            "который меняет текст."
        )
    return lines


def _summary_lines(document: NextEdition) -> list[str]:
    """The summary the history of editions will show, by merge button when they differ."""
    titled = document.summary
    own = document.without_title if document.messages else titled
    if titled == own:
        if not titled:
            return ["Описания в истории редакций не будет: у коммитов ветки нет своих сообщений."]
        return [f"Описание в истории редакций: «{_escaped(titled)}»."]
    # GitHub's squash of one commit takes that commit's message; of several, the pull request's title.
    squash_titled = document.messages != 1
    with_title = "**Create a merge commit**" + (" и **Squash and merge**" if squash_titled else "")
    without = ("" if squash_titled else "**Squash and merge** и ") + "**Rebase and merge**"
    return [
        "",
        "Описание в истории редакций зависит от кнопки слияния:",
        "",
        f"- {with_title}: «{_escaped(titled)}»;",
        f"- {without}: «{_escaped(own)}».",
        "",
        f"Чтобы описание было одним при любом слиянии, назовите pull request «{_escaped(own)}»"
        + (" или сведите ветку к одному коммиту с этим сообщением." if squash_titled else "."),
    ]

"""A publish tag's mark of an edition checked against the text rule: a record fetched from a fork or made by hand
that calls a substantive edition editorial (so the banner would not ask visitors again) is refused, naming the
tag, the edition, what the record says, what the rule says and the way back."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from alectro_policy.history.editions import EditionError
from alectro_policy.history.published import published_at, read_editions_file
from alectro_policy.history.repository import Repository
from alectro_policy.history.site_editions import EditionsRequest, read_editions
from alectro_published import editions_file
from alectro_published.publish_tags import write_tag
from support import GitRepo

ZONE = ZoneInfo("Europe/Moscow")
POLICY = "# Политика\n\n1.1. Оператор обрабатывает адрес почты.\n\n1.2. Сайт использует cookies.\n"
SUBSTANTIVE = POLICY.replace("адрес почты", "адрес почты и номер телефона")
TYPO = POLICY.replace("использует", "испольует")


def record(repo: GitRepo, *marks: tuple[str, bool]) -> str:
    """The editions.json a publish of docs/index.md would record: per (commit, editorial) an edition, its file's
    SHA-256 and its commit's day."""
    entries = []
    for number, (commit, editorial) in enumerate(marks, start=1):
        source = repo.git("show", f"{commit}:docs/index.md").encode() + b"\n"
        day = datetime.fromtimestamp(int(repo.git("log", "-1", "--format=%ct", commit)), ZONE).date()
        url = f"https://alectro.ru/privacy/editions/{number}/"
        entries.append(
            editions_file.EditionEntry(
                number=number,
                date=day,
                commit=commit,
                sha256=hashlib.sha256(source).hexdigest(),
                summary=f"Редакция {number}",
                editorial=editorial,
                text_url=url,
                source_url=url + "source.md",
                changes_url=None,
            )
        )
    document = editions_file.DocumentEntry(
        "docs/index.md", "Политика", "https://alectro.ru/privacy/", len(entries), tuple(entries)
    )
    return editions_file.dumps(editions_file.EditionsFile("https://alectro.ru/privacy/", ZONE.key, (document,)))


def editions(repo: GitRepo) -> list[tuple[int, bool]]:
    """(number, editorial) of each edition a build of ``repo`` reads, numbered from its newest publish tag."""
    repository = Repository.at(repo.docs)
    assert repository is not None
    try:
        request = EditionsRequest(repo.docs, ["index.md"], ZONE, today=date(2026, 12, 31))
        site = read_editions(EditionsRequest(**{**vars(request), "published": published_at(repository)}), repository)
    finally:
        repository.close()
    return [(edition.number, edition.editorial) for edition in site.documents["index.md"].editions]


@pytest.fixture
def origin(tmp_path) -> GitRepo:
    """The repository: edition 1 published (``published/1``), then a commit that adds words to clause 1.1."""
    repo = GitRepo.new(tmp_path / "origin")
    repo.write("docs/index.md", POLICY)
    first = repo.commit("Первая редакция", "2026-01-15T10:00:00+03:00")
    write_tag(repo.root, first, "20260115T100000Z-aaaa", record(repo, (first, False)))
    repo.write("docs/index.md", SUBSTANTIVE)
    repo.commit("Телефон\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    return repo


def test_a_tag_from_a_fork_calling_a_substantive_edition_editorial_is_refused_and_the_refetch_it_names_mends_it(
    origin, tmp_path
):
    first, second = origin.git("rev-list", "--reverse", "HEAD").split()
    clone = GitRepo(tmp_path / "clone")
    origin.git("clone", "-q", str(origin.root), str(clone.root))
    fork = GitRepo(tmp_path / "fork")
    origin.git("clone", "-q", str(origin.root), str(fork.root))
    # The fork "publishes" edition 2 as editorial, chained to the real published/1: the chain alone cannot tell.
    write_tag(fork.root, second, "20260201T100000Z-ffff", record(fork, (first, False), (second, True)))
    clone.git("fetch", "-q", str(fork.root), "refs/tags/published/2:refs/tags/published/2")

    with pytest.raises(EditionError) as refused:
        editions(clone)
    message = str(refused.value)
    assert "tag published/2 records edition 2 of 2026-02-01" in message
    assert "as editorial, but the text rule says it is substantive (п. 1.1: добавлены слова «и номер телефона.»)" in (
        message
    )
    assert "git tag -d published/2" in message and "git fetch origin 'refs/tags/published/*:" in message

    # The repository's own record, written by the real publish, says substantive; the fix the message names works.
    write_tag(origin.root, second, "20260201T100000Z-bbbb", record(origin, (first, False), (second, False)))
    clone.git("tag", "-d", "published/2")
    clone.git("fetch", "-q", "origin", "refs/tags/published/*:refs/tags/published/*")
    assert editions(clone) == [(1, False), (2, False)]


def test_a_record_whose_marks_the_text_allows_is_kept_as_published(origin):
    first = origin.git("rev-list", "--max-parents=0", "HEAD")
    origin.git("reset", "-q", "--hard", first)
    origin.write("docs/index.md", TYPO)
    typo = origin.commit("Опечатка\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    origin.write("docs/index.md", TYPO.replace("испольует", "использует"))
    fixed = origin.commit("Опечатка исправлена\n\nEdition: editorial", "2026-03-01T10:00:00+03:00")
    # Editorial where the text allows it; substantive where it would allow editorial too (asking again is safe).
    write_tag(origin.root, fixed, "20260301T100000Z-cccc", record(origin, (first, False), (typo, True), (fixed, False)))
    assert editions(origin) == [(1, False), (2, True), (3, False)]


def test_a_first_edition_recorded_editorial_is_refused_and_a_record_file_names_itself(origin, tmp_path):
    first = origin.git("rev-list", "--max-parents=0", "HEAD")
    path = tmp_path / "editions.json"
    path.write_text(record(origin, (first, True)), encoding="utf-8")
    request = EditionsRequest(origin.docs, ["index.md"], ZONE, today=date(2026, 12, 31))
    with pytest.raises(EditionError) as refused:
        read_editions(EditionsRequest(**{**vars(request), "published": read_editions_file(path)}))
    message = str(refused.value)
    assert f"the file {path} records edition 1 of 2026-01-15" in message
    assert "as editorial, but the text rule says a first edition is never editorial" in message
    assert "give the file the live site serves" in message

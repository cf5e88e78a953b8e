"""`make changes`: what would be published, in a repository with an uncommitted edit, with a branch, with nothing."""

import re

import pytest

from support import make_changes, read_html

V1 = """# Политика

Вступление.

## 1. Общие положения

1.1. Данные передаются транспортной компании.

1.2. Второй пункт.

## 2. Данные

2.1. Данные включают имя.
"""


@pytest.fixture
def published(git_repo):
    git_repo.write("docs/index.md", V1)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    return git_repo


def test_with_no_change_it_says_no_new_edition_would_be_made(published):
    # Re-wrapped only: a reader sees the same text.
    published.write("docs/index.md", V1.replace("передаются транспортной", "передаются\nтранспортной"))
    result = make_changes(published)
    assert result.returncode == 0, result.stderr
    assert "Новой редакции не будет" in result.stdout
    assert "Редакция №" not in result.stdout


def test_an_uncommitted_edit_is_the_next_edition_with_its_clauses_and_words(published):
    published.write(
        "docs/index.md",
        V1.replace("транспортной компании", "курьерской службе").replace("1.2. Второй пункт.\n\n", "")
        + "\n2.2. Новый пункт.\n",
    )
    result = make_changes(published)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "**Редакция № 2** заменит действующую редакцию № 1 от 15 января 2026\u202fг." in out
    assert "г.." not in out
    assert "Вид правки: **по существу**" in out
    assert "Изменён п. 1.1; добавлен п. 2.2; исключён п. 1.2." in out
    assert "1.1. Данные передаются ~~транспортной компании.~~**курьерской службе.**" in out
    assert "### П. 1.2: исключён\n\n~~1.2. Второй пункт.~~" in out
    assert "### П. 2.2: добавлен\n\n**2.2. Новый пункт.**" in out


def test_a_branch_of_two_commits_is_one_edition_editorial_only_if_each_commit_changing_the_text_says_so(published):
    published.git("checkout", "-q", "-b", "typo")
    published.write("docs/index.md", V1.replace("Второй пункт.", "Второй пункт о данных."))
    published.commit("Уточнён п. 1.2", "2026-02-01T10:00:00+03:00")
    published.write(
        "docs/index.md", V1.replace("Второй пункт.", "Второй пункт о данных.").replace("имя.", "имя и телефон.")
    )
    published.commit("Уточнён п. 2.1\n\nEdition: editorial", "2026-02-02T10:00:00+03:00")
    out = make_changes(published).stdout
    assert out.count("**Редакция № 2**") == 1
    # The first commit, unmarked, changed the text: the last one's trailer cannot make the whole branch editorial.
    assert "Вид правки: **по существу**" in out
    assert "Описание в истории редакций: «Уточнён п. 1.2; Уточнён п. 2.1»." in out
    assert "Изменены пп. 1.2, 2.1." in out
    assert "2.1. Данные включают ~~имя.~~**имя и телефон.**" in out
    # The same branch compared with its own first commit: only the second commit's change.
    first = published.git("rev-parse", "HEAD~1")
    out = make_changes(published, f"BASE={first}").stdout
    assert "**Редакция № 3** заменит действующую редакцию № 2" in out and "Изменён п. 2.1." in out


def test_text_that_looks_like_markdown_is_shown_as_it_is(published):
    published.write("docs/index.md", V1.replace("имя.", "имя_и_*фамилию* [в] <b>"))
    out = make_changes(published).stdout
    assert r"**имя\_и\_фамилию \[в\] \<b\>**" in out


def test_the_draft_stamp_links_to_a_preview_of_its_changes_marked_unpublished_and_noindex(published):
    published.write("docs/index.md", V1.replace("транспортной компании", "курьерской службе"))
    site = published.build(command="serve")
    page = read_html(site / "index.html")
    link = page.select_one(".policy-stamp--draft a[data-edition-draft-changes]")
    assert link["href"] == "editions/draft/"
    preview = read_html(site / "editions/draft/index.html")
    assert preview.select_one(".policy-draft-notice .admonition-title").get_text() == "Проект, не опубликован"
    assert preview.select_one('meta[name="robots"]')["content"] == "noindex"
    assert "Проект редакции № 2" in preview.h1.get_text()
    marked = [(tag.name, " ".join(tag.get_text().split())) for tag in preview.select(".policy-diff-text :is(ins, del)")]
    assert marked == [("del", "[удалено: транспортной компании.]"), ("ins", "[добавлено: курьерской службе.]")]
    assert "editions/draft/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # Committed on main: the stamp is the new edition's, in the very next build; the preview's address, still
    # open in the editor's browser, says so and links the edition's changes instead of «page not found».
    published.commit("Курьерская служба", "2026-02-01T10:00:00+03:00")
    site = published.build(command="serve")
    assert read_html(site / "index.html").select_one(".policy-stamp")["data-edition"] == "2"
    committed = read_html(site / "editions/draft/index.html")
    assert committed.select_one(".policy-draft-committed .admonition-title").get_text() == "Проект стал редакцией № 2"
    assert committed.find("a", string="Что изменилось в редакции № 2")["href"] == "../2/changes/"
    assert committed.select_one('meta[name="robots"]')["content"] == "noindex"
    # A build for publishing has no such page.
    assert not (published.build(strict=False) / "editions/draft/index.html").exists()


def test_a_heading_s_markup_in_the_summary_is_shown_as_text(published):
    published.write("docs/index.md", V1 + "\n## Прочее <img src=https://evil.example/t.png>\n\nТекст.\n")
    out = make_changes(published).stdout
    assert re.search(r"(?<!\\)<img", out) is None and r"\<img src=https://evil.example/t.png\>" in out


def test_make_changes_reads_the_dates_mkdocs_yml_corrects_as_the_build_does(published):
    # A mistyped edition_date buried under a later edition: only edition_dates in mkdocs.yml puts it right.
    typo = "---\nedition_date: 2027-01-20\n---\n"
    published.write("docs/index.md", typo + V1.replace("Второй пункт.", "Второй пункт о данных."))
    published.commit("Вторая", "2026-01-20T10:00:00+03:00")
    published.write("docs/index.md", typo + V1.replace("Второй пункт.", "Третий пункт."))
    published.commit("Третья", "2026-02-01T10:00:00+03:00")
    published.configure(
        "      edition_dates:\n        - document: index.md\n          edition: 2\n          date: 2026-01-20\n"
    )
    published.write("docs/index.md", V1.replace("Второй пункт.", "Четвёртый пункт."))
    result = make_changes(published)
    assert result.returncode == 0, result.stderr
    assert "**Редакция № 4** заменит действующую редакцию № 3" in result.stdout


def test_a_branch_that_only_replaces_a_picture_is_a_substantive_edition_for_make_changes_and_make_serve(git_repo):
    git_repo.write(
        "docs/index.md", V1.replace("2.1. Данные включают имя.", "2.1. Данные включают имя: ![Схема](scheme.png)")
    )
    (git_repo.docs / "scheme.png").write_bytes(b"\x89PNG partners A")
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.git("checkout", "-q", "-b", "scheme")
    (git_repo.docs / "scheme.png").write_bytes(b"\x89PNG partners A, B and C")
    git_repo.commit("Новая схема передачи данных", "2026-01-20T10:00:00+03:00")

    result = make_changes(git_repo)
    assert result.returncode == 0, result.stderr
    assert "Новой редакции не будет" not in result.stdout
    assert "**Редакция № 2** заменит действующую редакцию № 1" in result.stdout
    assert "Вид правки: **по существу**" in result.stdout
    assert "Изменены изображения." in result.stdout

    # make serve on the branch: the same edition 2 as the draft, its stamp and its preview.
    page = git_repo.page(command="serve", strict=False)
    stamp = page.select_one(".policy-stamp")
    assert (stamp["data-edition"], stamp.get("data-edition-draft")) == ("2", "true")


def test_a_branch_that_only_changes_first_published_is_reported_as_rewriting_published_editions(published):
    published.write("docs/index.md", V1.replace("Второй пункт.", "Второй пункт о сроках."))
    second = published.commit("Сроки (п. 1.2)", "2026-02-01T10:00:00+03:00")
    published.git("checkout", "-q", "-b", "config-only")
    published.configure(f"      first_published:\n        index.md: '{second}'\n")
    published.commit("История с второй редакции", "2026-02-02T10:00:00+03:00")
    out = make_changes(published, "BASE=main").stdout
    assert "**`mkdocs.yml` меняет опубликованные редакции `docs/index.md`**" in out
    assert "было 2, станет 1, первая — от 2026-02-01" in out and "ALLOW_HISTORY_REWRITE=1" in out
    # A branch that leaves the options alone says nothing of it.
    published.git("checkout", "-q", "main")
    published.git("checkout", "-q", "-b", "text-only")
    published.write("docs/index.md", V1)
    published.commit("Назад", "2026-02-03T10:00:00+03:00")
    assert "меняет опубликованные редакции" not in make_changes(published, "BASE=main").stdout


@pytest.mark.parametrize("through", ["command line", "environment"])
def test_a_title_is_text_never_expanded_by_make_or_a_shell(published, through):
    published.git("checkout", "-q", "-b", "sale")
    published.write("docs/index.md", V1.replace("имя.", "имя и телефон."))
    published.commit("Телефон (п. 2.1)", "2026-02-01T10:00:00+03:00")
    titles = {
        "Скидки $5 для $USER": "Скидки $5 для $USER",
        "a $(shell touch pwned) b `touch pwned2` $$(touch pwned3)": (
            "a $(shell touch pwned) b \\`touch pwned2\\` $$(touch pwned3)"
        ),
        # Control and direction characters: a terminal obeys them, a page reorders by them.
        "Опечатка\x1b[2J\x07 в \u202eп. 2.1": "Опечатка\\[2J в п. 2.1",
        # A title that starts with a dash is the option's value, not another option of the command.
        "-5%": "\\-5%",
        "--base=HEAD": "\\--base=HEAD",
    }
    for title, shown in titles.items():
        if through == "command line":
            result = make_changes(published, f"TITLE={title}")
        else:  # as CI passes it
            result = make_changes(published, env={"TITLE": title})
        assert result.returncode == 0, result.stderr
        assert f"«{shown}»" in result.stdout, result.stdout
        assert not {"\x1b", "\x07", "\u202e"} & set(result.stdout)
    assert not [path.name for path in published.root.rglob("pwned*")]


# -- the banner's clause on cookies, when clauses are renumbered -----------------------------------------------

COOKIE_POLICY = "# Политика\n\n## 2. Данные\n\n2.1. Имя.\n\n2.2. Сайт использует cookies для статистики посещений.\n"
# A new 2.2 pushes the clause on cookies to 2.3.
RENUMBERED = COOKIE_POLICY.replace("2.2. Сайт", "2.2. Сайт хранит заказы три года.\n\n2.3. Сайт")


@pytest.mark.parametrize(
    ("option", "notice"),
    [
        (
            "p2.2",
            "**Баннер cookies поведёт не на тот пункт.** Он ссылается на п. 2.2 (`consent: cookie_clause: p2.2` в "
            "`mkdocs.yml`), а этот пункт станет п. 2.3. Укажите `cookie_clause: p2.3` или слова самого пункта, "
            'например `cookie_clause: "Сайт использует cookies для статистики посещений"`',
        ),
        ("cookies для статистики", "**Баннер cookies:** пункт о cookies станет п. 2.3 (был п. 2.2)"),
    ],
)
def test_make_changes_warns_when_the_clause_the_banner_links_is_renumbered(git_repo, option, notice):
    git_repo.configure(f"      consent:\n        cookie_clause: {option}\n")
    git_repo.write("docs/index.md", COOKIE_POLICY)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    git_repo.write("docs/index.md", RENUMBERED)
    result = make_changes(git_repo)
    assert result.returncode == 0, result.stderr
    assert notice in " ".join(result.stdout.split())
    assert "п. 2.2 стал п. 2.3" in result.stdout


def test_a_banner_naming_its_clause_by_words_links_it_under_its_new_number(git_repo):
    def banner_link(site) -> list[tuple[str, str]]:
        return re.findall(r'<a href="([^"]*)">пункт ([\d.]+)</a>', (site / "index.html").read_text("utf-8"))

    git_repo.configure("      consent:\n        cookie_clause: cookies для статистики\n")
    git_repo.write("docs/index.md", COOKIE_POLICY)
    git_repo.commit("Первая", "2026-01-15T10:00:00+03:00")
    assert banner_link(git_repo.build()) == [("./#p2.2", "2.2")]
    git_repo.write("docs/index.md", RENUMBERED)
    git_repo.commit("Новый п. 2.2", "2026-02-15T10:00:00+03:00")
    assert banner_link(git_repo.build()) == [("./#p2.3", "2.3")]


def test_a_trailer_on_a_substantive_change_is_refused_naming_the_clause(published):
    published.git("checkout", "-q", "-b", "ads")
    published.write(
        "docs/index.md", V1.replace("транспортной компании.", "транспортной компании и рекламным партнёрам.")
    )
    published.commit("Опечатка в п. 1.1\n\nEdition: editorial", "2026-02-01T10:00:00+03:00")
    out = make_changes(published).stdout
    assert "Вид правки: **по существу**" in out
    assert "Строка `Edition: editorial` не действует: п. 1.1: добавлены слова «и рекламным партнёрам.»" in out
    # The advice never teaches a route round the rule (a trailer in a squash message).
    assert "squash" not in out.lower()

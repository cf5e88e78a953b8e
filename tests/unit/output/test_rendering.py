"""The plugin's own Jinja environment and the edition stamp put under a page's title. No MkDocs build."""

from zoneinfo import ZoneInfo

from jinja2 import DictLoader, Environment

from alectro_policy.output.rendering import CompiledTemplates, stamped, templates
from support import published

MOSCOW = ZoneInfo("Europe/Moscow")
TEXT = "# Политика\n\n1.1. Пункт.\n"
PAGE = '<h1 id="politika">Политика</h1>\n<p>1.1. Пункт.</p>\n<h1>Второй заголовок</h1>\n'


def test_the_stamp_goes_right_after_the_first_title_naming_the_edition_in_force_and_linking_the_history():
    document = published("terms.md", TEXT, TEXT.replace("Пункт", "Новый пункт"))
    html = stamped(templates(MOSCOW), PAGE, document.url, document.editions_of, preview=False)
    title, rest = html.split("</h1>", 1)
    assert title == '<h1 id="politika">Политика'
    assert rest.startswith('<p class="policy-stamp" data-edition="2" data-edition-date="2026-01-03">')
    assert '<a href="editions/" title="История редакций">Редакция № 2 от 3 января 2026\u202fг.</a>' in rest
    assert rest.count("policy-stamp") == 1 and rest.endswith("<h1>Второй заголовок</h1>\n")


def test_a_page_without_a_title_gets_the_stamp_first():
    document = published("index.md", TEXT)
    html = stamped(templates(MOSCOW), "<p>Текст без заголовка.</p>", document.url, document.editions_of, False)
    assert html.startswith('<p class="policy-stamp" data-edition="1"') and html.endswith("<p>Текст без заголовка.</p>")


def test_a_draft_says_it_is_not_published_and_links_its_changes_only_where_they_are_previewed():
    document = published("index.md", TEXT, draft=TEXT.replace("Пункт", "Проект пункта"))
    previewed = stamped(templates(MOSCOW), PAGE, document.url, document.editions_of, preview=True)
    assert "Проект редакции, не опубликован</strong> (будущая редакция № 2)" in previewed
    assert 'href="editions/draft/" data-edition-draft-changes>что изменится</a>' in previewed
    assert 'действует <a href="editions/">редакция № 1 от 2 января 2026\u202fг.</a>' in previewed
    built = stamped(templates(MOSCOW), PAGE, document.url, document.editions_of, preview=False)
    assert "data-edition-draft-changes" not in built and 'data-edition-draft="true"' in built


def test_the_environment_escapes_what_it_renders_and_keeps_control_characters_out_of_the_feed():
    environment = templates(MOSCOW)
    assert environment.from_string("{{ value }}").render(value="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert environment.from_string("{{ value | displayable }}").render(value="Политика\x07\x00") == "Политика"
    assert environment.from_string("{{ value | web_path }}").render(value="политика/") == (
        "%D0%BF%D0%BE%D0%BB%D0%B8%D1%82%D0%B8%D0%BA%D0%B0/"
    )


def test_a_feed_time_is_midnight_of_the_edition_s_day_in_the_site_s_time_zone():
    document = published("index.md", TEXT)
    feed_time = templates(ZoneInfo("Asia/Vladivostok")).from_string("{{ (document | feed_updates)[1] }}")
    assert feed_time.render(document=document) == "2026-01-02T00:00:00+10:00"


# -- templates compiled once per process (CompiledTemplates): each MkDocs build makes new environments ----------------


def test_a_template_is_compiled_once_for_every_environment_made_alike(monkeypatch):
    cache = CompiledTemplates()
    compiled = []
    original = Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, *a, **k: compiled.append(a[1]) or original(self, *a, **k))
    for _ in range(3):  # three builds
        made = Environment(loader=DictLoader({"page.html": "{{ title }}"}), bytecode_cache=cache)
        assert made.get_template("page.html").render(title="Политика") == "Политика"
    assert compiled == ["page.html"]


def test_an_edited_template_is_compiled_again_as_under_mkdocs_serve():
    cache = CompiledTemplates()
    sources = {"main.html": "старый {{ title }}"}
    assert Environment(loader=DictLoader(sources), bytecode_cache=cache).get_template("main.html").render(
        title="т"
    ) == ("старый т")
    sources["main.html"] = "новый {{ title }}"
    assert Environment(loader=DictLoader(sources), bytecode_cache=cache).get_template("main.html").render(
        title="т"
    ) == ("новый т")


def test_environments_that_compile_a_template_otherwise_never_share_its_code():
    cache = CompiledTemplates()
    source = {"page.html": '{{ "<b>" }} {{ "x" | mark }}'}

    def made(escape: bool, mark: str) -> str:
        env = Environment(loader=DictLoader(source), bytecode_cache=cache, autoescape=escape)
        # A filter made per build, applied to a constant: Jinja folds it when it compiles the template.
        env.filters["mark"] = lambda value: value + mark
        return env.get_template("page.html").render()

    assert made(False, "1") == "<b> x1"
    assert made(True, "1") == "&lt;b&gt; x1"
    assert made(False, "2") == "<b> x2"
    assert made(False, "1") == "<b> x1"

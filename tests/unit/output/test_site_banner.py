"""The banner on the site's pages: bound to the published document, its words in each state read from the template
as rendered, published under the hash a record of a choice carries, put last in each page's body. No MkDocs build."""

from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from jinja2 import ChoiceLoader, DictLoader

from alectro_deploy import banner_texts
from alectro_policy.config import PolicyConfig
from alectro_policy.consent.shown_text import ASK, REASK
from alectro_policy.output import site_banner as site
from alectro_policy.output.rendering import templates
from alectro_policy.urls import page_url
from support import published

MOSCOW = ZoneInfo("Europe/Moscow")
POLICY = "# Политика конфиденциальности\n\n1.1. Пункт.\n"
CONSENT = "# Согласие на cookies\n\n1.1. Пункт.\n"


def settings(**consent):
    config = PolicyConfig()
    config.load_dict({"documents": ["index.md", "cookies.md"], "consent": consent})
    assert config.validate() == ([], [])
    return config


def banner_of(environment=None, documents=None, **consent):
    documents = [published("index.md", POLICY, POLICY + "\n1.2. Ещё.\n")] if documents is None else documents
    made = site.site_banner(settings(**consent), documents, page_url, None, environment or templates(MOSCOW))
    assert made is not None
    return made


def with_template(change):
    """The plugin's environment with ``consent.html`` changed by ``change`` (its source → the new source)."""
    source = (resources.files("alectro_policy.consent") / "templates" / "consent.html").read_text(encoding="utf-8")
    environment = templates(MOSCOW)
    environment.loader = ChoiceLoader([DictLoader({"consent.html": change(source)}), environment.loader])
    return environment


def published_texts(made) -> dict[str, str]:
    return {path: text for path, text in made.generated_files() if path.startswith("banner-texts/")}


def test_changing_the_template_s_wording_changes_the_hash_a_choice_records_and_the_text_published():
    plain = banner_of()
    reworded = banner_of(
        with_template(
            lambda source: source.replace(">Принять все<", ">Продолжить<").replace(
                "{{ banner.message }}", "Продолжая, вы соглашаетесь на cookies. {{ banner.message }}"
            )
        )
    )
    assert reworded.banner.text_hashes[ASK] != plain.banner.text_hashes[ASK]
    assert reworded.banner.text_hashes[REASK] != plain.banner.text_hashes[REASK]
    text = published_texts(reworded)[f"banner-texts/{reworded.banner.text_hashes[ASK]}.txt"]
    assert text.startswith("Продолжая, вы соглашаетесь на cookies. ") and "\nПродолжить\n" in text
    assert "Принять все" not in text
    # What the page's script sends is the hash of what it shows.
    assert reworded.banner.settings()["text"] == reworded.banner.text_hashes


def test_asking_again_after_a_new_edition_has_its_own_text_and_hash_beginning_with_the_notice():
    made = banner_of()
    ask, reask = made.banner.texts[ASK], made.banner.texts[REASK]
    assert reask.endswith(ask) and made.banner.text_hashes[ASK] != made.banner.text_hashes[REASK]
    notice = reask.removesuffix(ask)
    assert notice == (
        "Политика конфиденциальности обновлена. Действует редакция № 2 от 3 января 2026\u202fг. (что изменилось). "
        "Подтвердите, пожалуйста, ваш выбор.\n"
    )


def test_consent_under_its_own_document_names_it_in_the_text_and_hashes_differently_from_the_policy_s():
    documents = [published("index.md", POLICY), published("cookies.md", CONSENT)]
    under_document = banner_of(documents=documents, document="cookies.md")
    under_policy = banner_of(documents=documents)
    assert (
        "Согласие даётся по документу «Согласие на cookies» (редакция № 1 от 2 января 2026\u202fг.)."
        in (under_document.banner.texts[ASK])
    )
    assert "Согласие даётся" not in under_policy.banner.texts[ASK]
    assert under_document.banner.text_hashes[ASK] != under_policy.banner.text_hashes[ASK]


def test_every_state_s_text_is_published_under_its_hash_and_listed_as_publishing_carries_them():
    made = banner_of()
    texts = published_texts(made)
    hashes = [made.banner.text_hashes[ASK], made.banner.text_hashes[REASK]]
    assert texts.pop("banner-texts/index.txt") == f"{hashes[0]}\n{hashes[1]}\n"
    assert banner_texts.listed(f"{hashes[0]}\n{hashes[1]}\n".encode()) == hashes
    assert sorted(texts) == sorted(f"banner-texts/{h}.txt" for h in hashes)
    for path, text in texts.items():
        assert banner_texts.matches(path.removeprefix("banner-texts/").removesuffix(".txt"), text.encode())


def test_before_a_first_edition_there_is_no_notice_so_one_text_is_published():
    made = banner_of(documents=[])
    assert made.banner.bound is None and made.banner.texts[ASK] == made.banner.texts[REASK]
    assert [path for path in published_texts(made) if path != "banner-texts/index.txt"] == [
        f"banner-texts/{made.banner.text_hashes[ASK]}.txt"
    ]


def test_the_banner_goes_last_in_the_body_its_links_relative_to_the_page():
    made = banner_of()
    page = made.inject("<html><body><p>Текст</p></body></html>", "..")
    body, end = page.rsplit("</body>", 1)
    assert end == "</html>" and body.startswith("<html><body><p>Текст</p>")
    assert body.rstrip().endswith("</script>") and 'href="../#p2.2"' in body
    assert made.inject("<p>без body</p>", ".").startswith('<p>без body</p><template id="alectro-consent">')


def test_the_script_is_published_under_the_url_the_page_loads_it_from():
    made = banner_of()
    files = dict(made.generated_files())
    assert files["assets/alectro-policy/consent.js"] == made.assets.js
    assert f"assets/alectro-policy/consent.js?v={made.assets.version}" in made.inject("<body></body>", ".")


@pytest.mark.parametrize(
    "consent",
    [{"enabled": False}, {"categories": []}],
    ids=["banner off", "nothing optional to ask"],
)
def test_no_banner_when_it_is_off_or_has_nothing_to_ask(consent):
    documents = [published("index.md", POLICY)]
    assert site.site_banner(settings(**consent), documents, page_url, None, templates(MOSCOW)) is None


def test_consent_binds_to_the_edition_that_last_changed_the_document_not_an_editorial_one_after_it():
    changed = POLICY + "\n1.2. Ещё.\n"
    document = published("index.md", POLICY, changed, changed.replace("Ещё.", "Ещё!"), editorial=(3,))
    bound = site.bound_document([document], "index.md", is_policy=True)
    assert bound is not None
    assert (bound.consent_edition, bound.current_edition, bound.source) == (2, 3, "docs/index.md")
    # A choice records the edition in force; the banner shows it and links what edition 2 changed.
    assert (bound.text_url, bound.changes_url, bound.current_date_text) == (
        "editions/3/",
        "editions/2/changes/",
        "4 января 2026\u202fг.",
    )
    assert site.bound_document([document], "cookies.md", is_policy=False) is None

"""The README and the guides a reader follows: short README, every link between them leads somewhere, and the
module map names only modules that exist."""

import re
from pathlib import Path

import pytest

from support import REPO

GUIDES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "guides").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"(?ms)^```.*?^```", "", path.read_text(encoding="utf-8"))
    return {slug(match) for match in re.findall(r"(?m)^#{1,6} (.+)$", text)}


def test_the_readme_stays_short():
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 100


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_link_between_the_guides_leads_to_a_file_and_a_heading_that_exist(guide):
    broken = []
    for target in LINK.findall(guide.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:: not ours to check offline
        file, _, anchor = target.partition("#")
        path = (guide.parent / file).resolve() if file else guide
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in anchors(path)):
            broken.append(target)
    assert broken == [], f"{guide.relative_to(REPO)}: fix or remove these links"


def test_the_module_map_names_only_modules_that_exist():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for section, package in (
        ("plugins/alectro_policy/", "plugins/alectro_policy"),
        ("deploy/alectro_deploy/", "deploy/alectro_deploy"),
    ):
        body = text.split(f"## Module map: `{section}`", 1)[1].split("\n## ", 1)[0]
        modules = {path.name for path in (REPO / package).rglob("*.py")}
        named = set(re.findall(r"`([a-z_]+\.py)`", body))
        assert named and named <= modules, f"CONTRIBUTING.md's map of {section} names {named - modules}: update it"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_repository_path_a_guide_names_exists(guide):
    named = re.findall(
        r"`((?:tests|bench|deploy|plugins|overrides|guides|\.github|\.ci)/[^`*<>…\s]*)", guide.read_text("utf-8")
    )
    # docs/ is named for examples (docs/cookies.md), node_modules/ is installed by make test.
    missing = sorted(
        {path for path in named if "node_modules" not in path and not (REPO / path.split("::")[0]).exists()}
    )
    assert missing == [], f"{guide.relative_to(REPO)} names paths that do not exist: fix the guide"

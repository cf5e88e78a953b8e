"""The package carries everything the plugin reads at build time, so an installed plugin works on any site."""

import re
import tomllib

from support import REPO

PACKAGE = REPO / "plugins" / "alectro_policy"


def test_every_template_asset_and_schema_of_the_plugin_ships_in_the_package():
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = settings["tool"]["setuptools"]["package-data"]["alectro_policy"]
    data = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert {"theme/editions.html", "theme/partials/copyright.html", "assets/policy.css"} <= set(data)
    # As setuptools reads package-data: a '*' stays within one folder.
    patterns = [re.compile(re.escape(glob).replace(r"\*", "[^/]*")) for glob in globs]
    assert [path for path in data if not any(pattern.fullmatch(path) for pattern in patterns)] == []

"""The package's rooms import one way, and none but the adapter imports MkDocs: read from the source with ast."""

import ast
from pathlib import Path

from support import REPO

PACKAGE = REPO / "plugins" / "alectro_policy"
ORDER = ["text", "history", "consent", "output", "changes"]
"""A room imports only itself, the rooms before it and the leaves."""
LEAVES = {"urls", "dates", "__init__"}
ADAPTER = {"plugin.py", "config.py", "config_options.py", "changes/cli.py"}
"""Adapters to MkDocs: the events, the options, and `make changes`' reading of mkdocs.yml."""


def _imports(path: Path, package: Path) -> set[str]:
    """The modules ``path`` (a file under ``package``) imports, absolute: ``alectro_policy.history.git``."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(parts[: len(parts) - node.level]) if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            # "from . import git" names a module; "from .x import y" a name in one: both kept, the room is the same.
            found |= {target} | {f"{target}.{alias.name}" for alias in node.names}
    return found


def layout_violations(package: Path) -> list[str]:
    """Every import in ``package`` against the layout: upward between rooms, or of MkDocs outside the adapter."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        place = path.relative_to(package).with_suffix("").parts[0]
        allowed = LEAVES | (set(ORDER[: ORDER.index(place) + 1]) if place in ORDER else set())
        for name in sorted(_imports(path, package)):
            top, _, rest = name.partition(".")
            if top == "mkdocs" and where not in ADAPTER:
                problems.append(f"{where} imports {name}")
            elif top == package.name and where not in ADAPTER and rest and rest.split(".")[0] not in allowed:
                problems.append(f"{where} imports {name}")
    return problems


def test_rooms_import_one_way_and_only_the_adapter_imports_mkdocs():
    assert len(list(PACKAGE.rglob("*.py"))) > 20
    assert layout_violations(PACKAGE) == []


def test_the_layout_rule_finds_an_upward_import_and_mkdocs_in_a_room(tmp_path):
    room = tmp_path / "alectro_policy" / "history"
    room.mkdir(parents=True)
    (room / "x.py").write_text("from ..output import theme\nfrom . import git\nfrom .. import urls\n", encoding="utf-8")
    (room / "y.py").write_text("import mkdocs.plugins\n", encoding="utf-8")
    assert layout_violations(tmp_path / "alectro_policy") == [
        "history/x.py imports alectro_policy.output",
        "history/x.py imports alectro_policy.output.theme",
        "history/y.py imports mkdocs.plugins",
    ]


MODULE_LINES = 400
"""Issue 26: no module over this many lines; one that outgrows it is split by what each part owns."""


def overgrown_modules(root: Path, *folders: str) -> list[str]:
    """Every Python module under ``folders`` (relative to ``root``) longer than ``MODULE_LINES``, with its length."""
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MODULE_LINES:
                found.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return found


def test_no_module_of_the_plugin_or_the_deploy_code_is_over_400_lines():
    assert overgrown_modules(REPO, "plugins", "deploy") == []


def test_the_size_rule_names_a_module_over_the_limit(tmp_path):
    (tmp_path / "plugins" / "room").mkdir(parents=True)
    (tmp_path / "plugins" / "room" / "small.py").write_text("x = 1\n" * MODULE_LINES, encoding="utf-8")
    (tmp_path / "plugins" / "room" / "big.py").write_text("x = 1\n" * (MODULE_LINES + 1), encoding="utf-8")
    assert overgrown_modules(tmp_path, "plugins", "deploy") == ["plugins/room/big.py: 401 lines"]

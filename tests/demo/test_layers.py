"""The demo sits on top: it imports the apps, and no app imports it or keeps demo code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("omakouvola", "ideas", "voting", "committees", "budgets", "opendata", "identification")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        for name in _imported_modules(path)
        if name == "demo" or name.startswith("demo.")
    ]
    assert offenders == []


def test_the_apps_keep_no_demo_modules_and_seed_demo_lives_in_the_demo_app():
    assert [str(p.relative_to(ROOT)) for app in APPS for p in (ROOT / app).rglob("demo.py")] == []
    commands = [p.name for app in APPS for p in (ROOT / app).glob("management/commands/*.py")]
    assert "seed_demo.py" not in commands
    assert (ROOT / "demo" / "management" / "commands" / "seed_demo.py").exists()

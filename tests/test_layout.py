"""The apps depend on each other one way only: secretariat → registration → conference → strategy,
and nothing imports from config (Django reads it through the settings)."""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Each app, and the apps it may import from.
MAY_IMPORT = {
    "strategy": set(),
    "conference": {"strategy"},
    "registration": {"conference", "strategy"},
    "secretariat": {"registration", "conference", "strategy"},
}
PROJECT = {*MAY_IMPORT, "config"}


def imported_project_modules(path):
    """(line, top-level project package) of every import in the file at `path`, wherever it stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            package = name.split(".")[0]
            if package in PROJECT:
                yield node.lineno, package


def wrong_way_imports(app):
    allowed = MAY_IMPORT[app] | {app}
    return [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in sorted((ROOT / app).rglob("*.py"))
        for line, package in imported_project_modules(path)
        if package not in allowed
    ]


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_app_imports_only_the_apps_below_it(app):
    assert wrong_way_imports(app) == []


def test_a_wrong_way_import_is_found(tmp_path, monkeypatch):
    package = tmp_path / "strategy"
    package.mkdir()
    (package / "views.py").write_text("def page():\n    from conference.models import Conference\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert wrong_way_imports("strategy") == ["strategy/views.py:2 imports conference"]

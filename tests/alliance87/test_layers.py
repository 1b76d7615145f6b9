"""Layers point one way: the project package (alliance87, its sub-apps included) imports no
app. Apps offer what the portal needs by registering it (report kinds, navigation entries,
dashboard sections, demo steps, background jobs) in their AppConfig.ready()."""

import ast
import importlib.util
import sysconfig
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

import alliance87
import governance

PACKAGE = Path(alliance87.__file__).parent
# The composition root names every app: INSTALLED_APPS and the beat schedule in settings,
# each app's URLs in the root URLconf. Imports are refused there too; dotted names are not.
COMPOSITION_ROOT = {PACKAGE / "settings.py", PACKAGE / "urls.py"}


def _apps() -> set[str]:
    """The portal's own apps outside the project package (pathfinders, governance, ...),
    not the installed packages (a virtualenv may sit inside the project's folder)."""
    base = Path(settings.BASE_DIR).resolve()
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        and not any(Path(config.path).resolve().is_relative_to(path) for path in installed)
        and not config.name.startswith("alliance87")
    }


def test_the_apps_are_the_portals_own():
    assert _apps() == {"pathfinders", "governance", "financing", "workshops", "vision", "demo"}


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.relative_to(PACKAGE).parts
    )


def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def _reaches_code(text: str, app_names: set[str]) -> bool:
    """A dotted name into an app's code, e.g. "pathfinders.selectors.country_dossier_report"
    (not a permission such as "pathfinders.view_country", nor an area name)."""
    parts = text.split(".")
    if len(parts) < 2 or parts[0] not in app_names or not all(p.isidentifier() for p in parts):
        return False
    return any(_is_module(".".join(parts[:end])) for end in range(2, len(parts) + 1))


def app_references(source: str, name: str, app_names: set[str], *, root: bool = False) -> list[str]:
    """The imports of an app in a module's source, and (outside the composition root) the
    dotted names into an app's code, at any depth (inside functions too)."""
    found = []
    tree = ast.parse(source, filename=name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and not root
            and _reaches_code(node.value, app_names)
        ):
            found.append(f"{name}:{node.lineno}: {node.value!r}")
            continue
        else:
            continue
        found += [
            f"{name}:{node.lineno}: import {module}"
            for module in names
            if module.split(".")[0] in app_names
        ]
    return found


def test_the_portal_has_apps_to_keep_out():
    assert {"pathfinders", "governance", "financing", "workshops"} <= _apps()


def test_the_project_package_imports_no_app():
    app_names = _apps()
    found = [
        line
        for path in _modules()
        for line in app_references(
            path.read_text(),
            str(path.relative_to(PACKAGE.parent)),
            app_names,
            root=path in COMPOSITION_ROOT,
        )
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "from pathfinders.models import PathfinderCountry\n",
        "def f():\n    import governance.selectors\n",
        'KIND = "financing.selectors.financing_gap_report"\n',
    ],
)
def test_an_import_or_a_dotted_path_into_an_app_is_found(source):
    assert app_references(source, "probe.py", _apps())


def test_the_composition_root_may_name_app_code_but_not_import_it():
    beat = 'TASK = "pathfinders.tasks.send_due_date_reminders"\n'
    assert app_references(beat, "settings.py", _apps(), root=True) == []
    assert app_references("import workshops.urls\n", "urls.py", _apps(), root=True)


def test_permissions_and_area_names_are_not_code():
    source = 'PERM = "pathfinders.view_progressreport"\nAREAS = ("pathfinders",)\n'
    assert app_references(source, "probe.py", _apps()) == []


def test_governance_does_not_point_back_at_pathfinders():
    """pathfinders points at governance (a Pathfinder's status follows a GCG decision);
    governance names no pathfinders module or model, not even by a string."""
    found = []
    for path in sorted(Path(governance.__file__).parent.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        found += app_references(source, path.name, {"pathfinders"})
        found += [
            f"{path.name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith("pathfinders.")
        ]
    assert found == []

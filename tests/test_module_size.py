"""Modules a newcomer can read: the read and write layers and the views of every app stay under
800 lines a module and 80 lines a function. A module that grows becomes a package split by
sub-domain (financing/selectors/, pathfinders/services/ ...); a long function is split where a
name explains the part."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ["pathfinders", "governance", "financing", "workshops", "vision"]
LAYERS = ["selectors", "services", "views"]
MODULE_LINES = 800
FUNCTION_LINES = 80


def layer_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for layer in LAYERS:
            module = base / app / f"{layer}.py"
            package = base / app / layer
            if module.exists():
                found.append(module)
            if package.is_dir():
                found += sorted(package.glob("*.py"))
    return found


def test_the_layers_are_found():
    names = {f"{path.parent.name}/{path.name}" for path in layer_modules()}
    assert {"selectors/gaps.py", "selectors/overview.py", "workshops/services.py"} <= names


@pytest.mark.parametrize(
    "path", layer_modules(), ids=lambda path: f"{path.parent.name}/{path.name}"
)
def test_modules_and_functions_stay_short(path):
    source = path.read_text()
    assert len(source.splitlines()) <= MODULE_LINES
    long_functions = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES
    ]
    assert long_functions == []

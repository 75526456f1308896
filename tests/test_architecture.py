"""The house rules of docs/architecture.md that `lint-imports` cannot see.

The dependency order and the private-module rule are import-linter contracts
(setup.cfg); these tests check the public namespaces and private names.
"""

import ast
import importlib
import pathlib
import types

import pytest

import keras_seqlayers

PACKAGE_ROOT = pathlib.Path(keras_seqlayers.__file__).parent

PUBLIC_PACKAGES = [
    "keras_seqlayers",
    "keras_seqlayers.datasets",
    "keras_seqlayers.embeddings",
    "keras_seqlayers.layers",
    "keras_seqlayers.layers.embedding",
    "keras_seqlayers.layers.recurrent",
    "keras_seqlayers.losses",
    "keras_seqlayers.models",
    "keras_seqlayers.text",
]


def _is_submodule(package, value, name):
    return (
        isinstance(value, types.ModuleType)
        and value.__name__ == f"{package.__name__}.{name}"
    )


@pytest.mark.parametrize("name", PUBLIC_PACKAGES)
def test_public_names_of_a_package_are_exactly_its_all(name):
    package = importlib.import_module(name)
    # Submodules become attributes of their package when anything imports
    # them, so they are left out; a module imported from elsewhere (`gzip`,
    # `keras`) or a helper function is not a submodule, and counts.
    public = {
        attr
        for attr in dir(package)
        if not attr.startswith("_")
        and not _is_submodule(package, getattr(package, attr), attr)
    }
    listed = {attr for attr in package.__all__ if not attr.startswith("__")}
    assert public == listed - {
        attr
        for attr in listed
        if _is_submodule(package, getattr(package, attr, None), attr)
    }
    for attr in package.__all__:
        assert hasattr(package, attr), attr


def test_the_check_sees_a_leak_and_ignores_submodules():
    package = types.ModuleType("pkg")
    package.sub = types.ModuleType("pkg.sub")
    package.gzip = types.ModuleType("gzip")
    assert _is_submodule(package, package.sub, "sub")
    assert not _is_submodule(package, package.gzip, "gzip")


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def _is_package_module(name):
    path = PACKAGE_ROOT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private_name_uses(path):
    """`(line, what)` for each private name `path` takes from another module:
    `from m import _name`, or `m._name` where `m` is a module of the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, uses = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("keras_seqlayers") and alias.asname:
                    modules.add(alias.asname)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "keras_seqlayers"
        ):
            for alias in node.names:
                if _is_package_module(f"{node.module}.{alias.name}"):
                    modules.add(alias.asname or alias.name)
                elif _private(alias.name):
                    uses.append((node.lineno, f"{node.module}.{alias.name}"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            uses.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return uses


def test_no_module_uses_another_modules_private_names():
    found = {
        f"{path.relative_to(PACKAGE_ROOT.parent)}:{line}": what
        for path in sorted(PACKAGE_ROOT.rglob("*.py"))
        for line, what in _private_name_uses(path)
    }
    assert found == {}


def test_the_private_name_check_finds_both_forms(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        "from keras_seqlayers.embeddings import bias as b\n"
        "from keras_seqlayers.checks import _check_int\n"
        "from keras_seqlayers import _random\n"
        "b._lookup\n"
        "b.check_direction\n"
    )
    assert _private_name_uses(path) == [
        (2, "keras_seqlayers.checks._check_int"),
        (4, "b._lookup"),
    ]

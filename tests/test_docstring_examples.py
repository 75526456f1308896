"""Every docstring example of the package runs and prints what it shows."""

import doctest
import importlib
import pkgutil
import tempfile

import pytest

import keras_seqlayers


def _modules():
    names = [keras_seqlayers.__name__]
    prefix = keras_seqlayers.__name__ + "."
    for info in pkgutil.walk_packages(keras_seqlayers.__path__, prefix):
        names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name, tmp_path, monkeypatch):
    # Examples that save files do so under tempfile.mkdtemp(); keep those in
    # pytest's own temporary directory.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0


def test_every_public_module_is_searched():
    finder = doctest.DocTestFinder()
    found = sum(
        bool(test.examples)
        for name in _modules()
        for test in finder.find(importlib.import_module(name))
    )
    assert found >= 50  # 53 example blocks when this test was written

"""Every docstring example of the package runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import keras_seqlayers


def _modules():
    names = [keras_seqlayers.__name__]
    prefix = keras_seqlayers.__name__ + "."
    for info in pkgutil.walk_packages(keras_seqlayers.__path__, prefix):
        names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0

"""Keras's own tests of its recurrent layers, run unmodified against ours.

The installed keras package ships the tests of `keras.layers.GRU`, `LSTM`,
`SimpleRNN`, their cells, `Bidirectional` and `StackedRNNCells`. This module
imports them and rebinds the `layers` name each one reads to `ADAPTED`:
Keras's layers module with the recurrent classes replaced by this package's,
changed only by the documented differences:

- `GRU`/`GRUCell` default to Keras's `reset_after=True` (ours: `False`).
- Their update gate weighs the other state: where a test sets explicit
  initial weights (constant initializers), the adapter builds the weights
  as Keras would, then maps them onto ours with `convert_weights`.

Every test runs except those in `EXCEPTIONS`, each with its reason. The
file name keeps it out of the main test run; run it in its own process:

    python -m pytest tests/keras_suite/keras_rnn_suite.py
"""

import importlib
import inspect
import types
import unittest

import keras
from keras.src import layers as keras_src_layers

from keras_seqlayers import layers as ksl

_PACKAGE = "keras_suite_adapter"


def _map_initial_weights(cell):
    """Reads `cell`'s freshly initialized weights as Keras's, maps them onto ours."""
    keras_twin = keras.layers.GRUCell.from_config(cell.get_config())
    cell.set_weights(ksl.convert_weights(cell.get_weights(), from_=keras_twin, to=cell))


def _keras_reset_after_default(cls):
    """Gives `cls.__init__` the signature of its base's, `reset_after=True`.

    Our recurrent layers read their arguments from their signature, so the
    adapter keeps every argument listed there, as a subclass should.
    """
    signature = inspect.signature(cls.__mro__[1].__init__)
    parameters = [
        p.replace(default=True) if p.name == "reset_after" else p
        for p in signature.parameters.values()
    ]
    cls.__init__.__signature__ = signature.replace(parameters=parameters)
    return keras.saving.register_keras_serializable(package=_PACKAGE)(cls)


@_keras_reset_after_default
class GRUCell(ksl.GRUCell):
    """Our GRUCell with Keras's `reset_after` default and weight orientation."""

    def __init__(self, *args, reset_after=True, **kwargs):
        super().__init__(*args, reset_after=reset_after, **kwargs)

    def build(self, input_shape):
        super().build(input_shape)
        _map_initial_weights(self)


@_keras_reset_after_default
class GRU(ksl.GRU):
    """Our GRU with Keras's `reset_after` default and weight orientation."""

    def __init__(self, *args, reset_after=True, **kwargs):
        super().__init__(*args, reset_after=reset_after, **kwargs)

    def build(self, input_shape):
        super().build(input_shape)
        _map_initial_weights(self.cell)


ADAPTED = types.SimpleNamespace(
    **{name: getattr(keras_src_layers, name) for name in dir(keras_src_layers)}
)
ADAPTED.GRU = GRU
ADAPTED.GRUCell = GRUCell
for _name in ("LSTM", "LSTMCell", "SimpleRNN", "SimpleRNNCell", "Bidirectional"):
    setattr(ADAPTED, _name, getattr(ksl, _name))

# (module, class, test) -> why it does not run against our layers.
EXCEPTIONS = {
    ("bidirectional_test", "SimpleRNNTest", "test_fused_lstm_eligibility"): (
        "Keras-private internals: Bidirectional._can_attempt_fused_lstm, "
        "cuDNN fusion eligibility (our layers have no fused kernel)"
    ),
    ("bidirectional_test", "SimpleRNNTest", "test_fused_gru_eligibility"): (
        "Keras-private internals: Bidirectional._can_attempt_fused_gru, "
        "cuDNN fusion eligibility (our layers have no fused kernel)"
    ),
    ("bidirectional_test", "SimpleRNNTest", "test_output_shape"): (
        "documented refusal of integer inputs: it feeds int64 features, our "
        "layers ask for an embedding first"
    ),
    ("bidirectional_test", "SimpleRNNTest", "test_keeps_use_cudnn"): (
        "documented refusal of use_cudnn=True (no cuDNN kernel, so exports run "
        "on CPU-only servers, keras#18504); 'auto' and False are kept"
    ),
}


def _adapted_test_classes(module_name):
    """The TestCase classes of one Keras test module, run against `ADAPTED`.

    Named after the module (`gru_test` gives `GruTest`; Keras names the
    class of bidirectional_test `SimpleRNNTest`), with the class name added
    where a module has several.
    """
    module = importlib.import_module(f"keras.src.layers.rnn.{module_name}")
    module.layers = ADAPTED
    found = {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, unittest.TestCase)
        and value.__module__ == module.__name__
    }
    prefix = module_name.title().replace("_", "")
    classes = {}
    for name, value in found.items():
        skips = {
            test: unittest.skip(reason)(getattr(value, test))
            for (mod, cls, test), reason in EXCEPTIONS.items()
            if (mod, cls) == (module_name, name)
        }
        adapted_name = prefix if len(found) == 1 else f"{prefix}_{name}"
        classes[adapted_name] = type(adapted_name, (value,), skips)
    return classes


for _module_name in (
    "gru_test",
    "lstm_test",
    "simple_rnn_test",
    "bidirectional_test",
    "stacked_rnn_cells_test",
):
    globals().update(_adapted_test_classes(_module_name))

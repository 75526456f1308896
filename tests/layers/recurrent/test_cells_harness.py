"""The public cells through the layer harness, each inside `keras.layers.RNN`."""

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GRUCell, LSTMCell, SimpleRNNCell
from tests.harness import run_layer_test

X = np.random.default_rng(7).normal(size=(3, 5, 4)).astype("float32")
MASK = np.ones((3, 5), dtype=bool)
MASK[1, 3:] = False


@keras.saving.register_keras_serializable(package="ksl_tests")
class CellRNN(keras.layers.RNN):
    """`keras.layers.RNN` over a cell given as its serialized config.

    `keras.layers.RNN` takes a cell object, which every construction by the
    harness would share (and which would keep its own dtype policy); from
    the config each construction gets a fresh cell in the layer's policy,
    and the config, `.keras` and export checks go through the cell's own
    `get_config` and `from_config`.
    """

    def __init__(self, cell, **kwargs):
        if isinstance(cell, dict):
            if kwargs.get("dtype") is not None:
                cell = {**cell, "config": {**cell["config"], "dtype": kwargs["dtype"]}}
            cell = keras.saving.deserialize_keras_object(cell)
        super().__init__(cell, **kwargs)


@pytest.mark.parametrize(
    "cell",
    [
        SimpleRNNCell(6),
        GRUCell(6),
        GRUCell(6, reset_after=True, use_bias=False),
        LSTMCell(6, unit_forget_bias=False),
    ],
    ids=["SimpleRNNCell", "GRUCell", "GRUCell-reset_after", "LSTMCell"],
)
def test_cell_harness(cell, tmp_path):
    run_layer_test(
        CellRNN,
        {"cell": keras.saving.serialize_keras_object(cell), "return_sequences": True},
        X,
        expected_output_shape=(3, 5, 6),
        mask=MASK,
        tmp_path=tmp_path,
    )

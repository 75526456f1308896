"""`gate_activations` outside `Layer.__call__`: mixed precision and bad input."""

import numpy as np
import pytest

from keras_seqlayers.layers import GRU, LSTM

GATED = [
    pytest.param(GRU, {}, id="gru"),
    pytest.param(GRU, {"reset_after": True}, id="gru_reset_after"),
    pytest.param(LSTM, {}, id="lstm"),
]
RNG = np.random.default_rng(11)
X = RNG.normal(size=(2, 3, 4)).astype("float32")


@pytest.mark.parametrize(("layer_cls", "kwargs"), GATED)
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_gate_activations_under_mixed_precision(layer_cls, kwargs, policy):
    # The gates are read without `Layer.__call__`, so nothing autocasts the
    # float32 variables for the engine; they must still meet half inputs.
    reference = layer_cls(5, **kwargs)
    reference(X)
    reference.set_weights(
        [RNG.normal(scale=0.5, size=w.shape) for w in reference.get_weights()]
    )
    mixed = layer_cls(5, dtype=policy, **kwargs)
    mixed(X)
    mixed.set_weights(reference.get_weights())
    expected = reference.gate_activations(X)
    gates = mixed.gate_activations(X)
    assert set(gates) == set(expected)
    # Half-precision rounding over three steps; bfloat16 keeps 8 bits.
    atol = 2e-3 if policy == "mixed_float16" else 1e-2
    for name, values in gates.items():
        values = np.asarray(values, "float32")
        assert values.shape == (2, 3, 5), name
        assert np.all(np.isfinite(values)), name
        np.testing.assert_allclose(values, expected[name], atol=atol, err_msg=name)


def _built(layer_cls, kwargs):
    layer = layer_cls(5, **kwargs)
    layer(X)
    return layer


@pytest.mark.parametrize(("layer_cls", "kwargs"), GATED)
@pytest.mark.parametrize("built", [False, True])
def test_integer_inputs_are_an_error_not_cast(layer_cls, kwargs, built):
    layer = _built(layer_cls, kwargs) if built else layer_cls(5, **kwargs)
    message = f"{layer_cls.__name__} expects float inputs"
    with pytest.raises(ValueError, match=rf"{message}.*received dtype int32\."):
        layer.gate_activations(X.astype("int32"))


@pytest.mark.parametrize(("layer_cls", "kwargs"), GATED)
def test_another_feature_size_is_named(layer_cls, kwargs):
    layer = _built(layer_cls, kwargs)
    with pytest.raises(
        ValueError,
        match=r"built for inputs with 4 features.*\(2, 3, 7\)",
    ):
        layer.gate_activations(np.zeros((2, 3, 7), "float32"))


@pytest.mark.parametrize(("layer_cls", "kwargs"), GATED)
@pytest.mark.parametrize("built", [False, True])
def test_inputs_of_another_rank_are_named(layer_cls, kwargs, built):
    layer = _built(layer_cls, kwargs) if built else layer_cls(5, **kwargs)
    with pytest.raises(
        ValueError,
        match=rf"{layer_cls.__name__} expects inputs of rank 3.*\(2, 3\)",
    ):
        layer.gate_activations(np.zeros((2, 3), "float32"))

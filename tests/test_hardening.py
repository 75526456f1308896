"""Every public layer trains under XLA in mixed precision.

`LAYERS` says how to build and feed each layer class in `ksl.layers.__all__` (and
each layer class among `ksl.models.__all__`, such as `LuongAttention`);
`test_every_public_layer_has_an_entry` fails when a layer is added to the
package without one, so no layer can be forgotten.
"""

import keras
import numpy as np
import pytest

import keras_seqlayers as ksl
from keras_seqlayers import layers as L

RNG = np.random.default_rng(0)
SEQ = RNG.normal(size=(4, 5, 3)).astype("float32")
IDS = RNG.integers(0, 8, size=4).astype("int32")
CONTEXT = RNG.integers(0, 8, size=4).astype("int32")
COUNTS = [30, 20, 10, 8, 5, 3, 2, 1]


def _debias():
    layer = L.Debias(vocab_size=8, num_equalize_pairs=1)
    direction = np.zeros(3, "float32")
    direction[0] = 1.0
    layer.set_state(direction, [2, 3], [(4, 5)], np.array([[0.0, 0.5, 0.5]]))
    return layer


def _debias_inputs():
    ids = RNG.integers(0, 8, size=(4, 2)).astype("int32")
    vectors = RNG.normal(size=(4, 2, 3)).astype("float32")
    return [ids, vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)]


# name -> (build the layer, the inputs). Cells run inside keras.layers.RNN,
# which is how a cell is used on its own.
LAYERS = {
    "GRU": (lambda: L.GRU(4, return_sequences=True), [SEQ]),
    "LSTM": (lambda: L.LSTM(4), [SEQ]),
    "SimpleRNN": (lambda: L.SimpleRNN(4), [SEQ]),
    "GRUCell": (lambda: keras.layers.RNN(L.GRUCell(4)), [SEQ]),
    "LSTMCell": (lambda: keras.layers.RNN(L.LSTMCell(4)), [SEQ]),
    "SimpleRNNCell": (lambda: keras.layers.RNN(L.SimpleRNNCell(4)), [SEQ]),
    "Bidirectional": (lambda: L.Bidirectional(L.LSTM(3)), [SEQ]),
    "DeepRNN": (lambda: L.DeepRNN([L.GRU(3), L.Bidirectional(L.GRU(2))]), [SEQ]),
    "Debias": (_debias, _debias_inputs()),
    "SkipGram": (lambda: L.SkipGram(8, 3), [IDS]),
    "NegativeSampling": (
        lambda: L.NegativeSampling(8, 3, num_negatives=2, counts=COUNTS, seed=1),
        [IDS, CONTEXT],
    ),
    "HierarchicalSoftmax": (lambda: L.HierarchicalSoftmax(COUNTS, 3), [IDS, CONTEXT]),
    "GloVe": (lambda: L.GloVe(8, 3), [IDS, CONTEXT]),
    "LuongAttention": (
        lambda: ksl.models.LuongAttention(4),
        [
            RNG.normal(size=(4, 2, 3)).astype("float32"),
            SEQ,
            np.array([[True] * 5, [True] * 3 + [False] * 2] * 2),
        ],
    ),
}


def _public_layers():
    """Layer classes of `ksl.layers` and `ksl.models` (not models, not the
    weight converters `ksl.layers` also exports)."""
    names = set()
    for module in (ksl.layers, ksl.models):
        for name in module.__all__:
            obj = getattr(module, name)
            if (
                isinstance(obj, type)
                and issubclass(obj, keras.layers.Layer)
                and not issubclass(obj, keras.Model)
            ):
                names.add(name)
    return names


def test_every_public_layer_has_an_entry():
    missing = sorted(_public_layers() - set(LAYERS))
    assert not missing, f"add these public layers to LAYERS: {missing}"
    stale = sorted(set(LAYERS) - _public_layers())
    assert not stale, f"LAYERS lists names that are not public layers: {stale}"


def _one_or_many(values):
    # A model with one input takes the tensor itself: a one-element list
    # makes Keras warn that the structure of `inputs` does not match.
    return values if len(values) > 1 else values[0]


def _names():
    # Debias's state is fixed: Keras warns that its model trains no weights.
    no_weights = pytest.mark.filterwarnings(
        "ignore:The model does not have any trainable weights:UserWarning"
    )
    return [
        pytest.param(name, marks=no_weights) if name == "Debias" else name
        for name in sorted(LAYERS)
    ]


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("name", _names())
def test_trains_under_xla_in_mixed_precision(name, policy):
    keras.config.set_dtype_policy(policy)  # the conftest fixture resets it
    build, inputs = LAYERS[name]
    layer = build()
    symbolic = [keras.Input(x.shape[1:], dtype=str(x.dtype)) for x in inputs]
    model = keras.Model(_one_or_many(symbolic), layer(_one_or_many(symbolic)))
    compute = keras.mixed_precision.dtype_policy().compute_dtype
    assert layer.compute_dtype == compute
    eager = keras.tree.flatten(model(_one_or_many(inputs)))
    for output in eager:
        assert keras.backend.standardize_dtype(output.dtype) == compute, name
    targets = [np.zeros(o.shape, "float32") for o in eager]
    # Plain SGD: its update compiles to a fraction of Adam's XLA program, and
    # any nonzero gradient still moves the weights.
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    before = [w.numpy() for w in model.trainable_weights]
    history = model.fit(
        _one_or_many(inputs), _one_or_many(targets), epochs=2, verbose=0
    )
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)), (name, policy, losses)
    # The variables stay float32 (only the computation is in low precision).
    assert all(w.dtype == "float32" for w in model.trainable_weights)
    after = [w.numpy() for w in model.trainable_weights]
    if name != "Debias":  # Debias has no trainable weights (its state is fixed)
        assert any(not np.array_equal(b, a) for b, a in zip(before, after, strict=True))

"""`ksl.layers.GloVe`: the harness, the score and AdaGrad against NumPy, errors."""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import GloVe
from tests.harness import run_layer_test
from tests.layers.embedding.xla_updates import assert_tables_updated_in_place


def test_harness(tmp_path):
    rng = np.random.default_rng(0)
    i = rng.integers(0, 11, size=(4, 3)).astype("int32")
    j = rng.integers(0, 11, size=(4, 3)).astype("int32")
    run_layer_test(
        GloVe,
        {"vocab_size": 11, "embedding_dim": 5},
        [i, j],
        expected_output_shape=(4, 3),
        tmp_path=tmp_path,
    )


def test_harness_single_tensor_input(tmp_path):
    pairs = np.random.default_rng(1).integers(0, 7, size=(5, 2)).astype("int32")
    run_layer_test(
        GloVe,
        {"vocab_size": 7, "embedding_dim": 3, "bias_initializer": "ones"},
        pairs,
        expected_output_shape=(5,),
        tmp_path=tmp_path,
        mixed_precision=False,
    )


def test_score_matches_numpy():
    layer = GloVe(9, 4, bias_initializer="random_normal")
    i = np.array([0, 3, 8, 3])
    j = np.array([5, 3, 1, 0])
    out = keras.ops.convert_to_numpy(layer((i, j)))
    W = layer.word_embeddings.numpy()
    Wt = layer.context_embeddings.numpy()
    b = layer.word_bias.numpy()
    bt = layer.context_bias.numpy()
    expected = np.einsum("nd,nd->n", W[i], Wt[j]) + b[i] + bt[j]
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    pairs = np.stack([i, j], axis=-1)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(pairs)), out)


@pytest.mark.parametrize("jit", [False, True])
def test_ids_outside_the_vocabulary_score_nan(jit):
    layer = GloVe(5, 3)
    i = keras.Input((), dtype="int32")
    j = keras.Input((), dtype="int32")
    model = keras.Model([i, j], layer((i, j)))
    model.compile(jit_compile=jit)
    ids_i = np.array([1, -1, 5, 2], "int32")
    ids_j = np.array([2, 0, 0, 7], "int32")
    out = model.predict([ids_i, ids_j], verbose=0)
    assert np.isfinite(out[0])
    assert np.all(np.isnan(out[1:]))


def test_default_initializer_is_glove_uniform():
    layer = GloVe(200, 10)
    layer.build()
    W = layer.word_embeddings.numpy()
    assert np.abs(W).max() <= 0.05
    assert np.abs(W).max() > 0.04
    np.testing.assert_array_equal(layer.word_bias.numpy(), 0)


def _tables(layer):
    layer.build()
    return [w.numpy() for w in layer.weights]


@pytest.mark.parametrize(
    "initializer",
    [
        None,
        "random_normal",
        keras.initializers.RandomUniform(seed=3),
        keras.initializers.RandomUniform(seed=keras.random.SeedGenerator(3)),
    ],
    ids=["default", "string", "int seed", "seed generator"],
)
def test_word_and_context_tables_start_apart(initializer):
    # The paper draws them independently; equal tables are a symmetric
    # start (on a symmetric matrix trained in one step they stay equal).
    W, W_tilde, b, b_tilde = _tables(
        GloVe(50, 4, embeddings_initializer=initializer, bias_initializer="uniform")
    )
    assert not np.allclose(W, W_tilde)
    assert not np.allclose(b, b_tilde)


def test_own_initializer_is_used_as_it_is():
    # Its config need not rebuild it: it is not cloned.
    class Halves(keras.initializers.Initializer):
        def __init__(self, value):
            self.value = value

        def __call__(self, shape, dtype=None):
            return keras.ops.full(shape, self.value, dtype=dtype)

    layer = GloVe(5, 3, embeddings_initializer=Halves(0.5), bias_initializer=Halves(2))
    W, W_tilde, b, b_tilde = _tables(layer)
    np.testing.assert_array_equal(W, 0.5)
    np.testing.assert_array_equal(W_tilde, 0.5)
    np.testing.assert_array_equal(b, 2)
    np.testing.assert_array_equal(b_tilde, 2)


def test_integer_seeded_initializer_gives_the_same_tables_again():
    def layer():
        init = keras.initializers.RandomUniform(seed=3)
        return GloVe(50, 4, embeddings_initializer=init, bias_initializer=init)

    for first, second in zip(_tables(layer()), _tables(layer()), strict=True):
        np.testing.assert_array_equal(first, second)


def test_vectors_combinations():
    layer = GloVe(6, 3)
    W = layer.vectors("word")
    Wt = layer.vectors("context")
    np.testing.assert_array_equal(W, layer.word_embeddings.numpy())
    np.testing.assert_array_equal(Wt, layer.context_embeddings.numpy())
    np.testing.assert_allclose(layer.vectors(), W + Wt)
    np.testing.assert_allclose(layer.vectors("mean"), (W + Wt) / 2)
    np.testing.assert_allclose(layer.vectors("concat"), np.concatenate([W, Wt], 1))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"vocab_size": 0, "embedding_dim": 3}, ValueError, "`vocab_size` must be"),
        ({"vocab_size": 5, "embedding_dim": 0}, ValueError, "`embedding_dim` must"),
        ({"vocab_size": 5.0, "embedding_dim": 3}, TypeError, "`vocab_size` must be"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        GloVe(**kwargs)


def test_bad_inputs():
    layer = GloVe(5, 2)
    with pytest.raises(ValueError, match="last axis of size 2"):
        layer(np.zeros((4, 3), "int32"))
    with pytest.raises(ValueError, match="a sequence of 3 tensors"):
        layer([np.zeros(2, "int32")] * 3)
    with pytest.raises(
        ValueError,
        match=r"i and j must have one shape.*\(3, 1\) and \(3,\)",
    ):
        layer((np.zeros((3, 1), "int32"), np.zeros(3, "int32")))
    # Shapes unknown when traced are not refused.
    unknown = tf.TensorSpec(None, tf.int32)
    score = tf.function(lambda i, j: layer((i, j)), input_signature=[unknown] * 2)
    assert score(tf.constant([1, 2]), tf.constant([3, 4])).shape == (2,)
    with pytest.raises(ValueError, match="`combine` must be one of"):
        layer.vectors("product")


def _adagrad_in_slices(tables, sums, i, j, targets, weights, lr, eps, size):
    """Keras's Adagrad on each slice's summed loss in turn, pair by pair sums."""
    W, Wt, b, bt = (t.copy() for t in tables)
    sums = [a.copy() for a in sums]
    scores = []
    for start in range(0, len(i), size):
        ii, jj = i[start : start + size], j[start : start + size]
        w, wt = W[ii], Wt[jj]
        score = np.sum(w * wt, -1) + b[ii] + bt[jj]
        scores.append(score)
        error = (
            2 * weights[start : start + size] * (score - targets[start : start + size])
        )
        grads = [
            (ii, error[:, None] * wt),
            (jj, error[:, None] * w),
            (ii, error),
            (jj, error),
        ]
        for table, acc, (ids, g) in zip((W, Wt, b, bt), sums, grads, strict=True):
            # Keras adds each duplicate row's square separately, then divides
            # every row's gradient by the updated sums.
            np.add.at(acc, ids, g**2)
            np.add.at(table, ids, -lr * g / np.sqrt(acc[ids] + eps))
    return (W, Wt, b, bt), sums, np.concatenate(scores)


def _glove_layer(vocab_size, dim):
    layer = GloVe(vocab_size, dim, bias_initializer="random_normal")
    layer.build()
    rng = np.random.default_rng(4)
    sums = [
        keras.Variable(rng.uniform(0.5, 2, w.shape).astype("float32"))
        for w in layer.weights
    ]
    return layer, sums


@pytest.mark.parametrize("jit", [False, True])
def test_adagrad_update_is_adagrad_on_each_slice_in_turn(jit):
    layer, sums = _glove_layer(6, 4)
    rng = np.random.default_rng(5)
    # Few words: repeats within and across slices; the last slice is partial.
    i, j = rng.integers(0, 6, 11), rng.integers(0, 6, 11)
    targets = rng.normal(size=11).astype("float32")
    weights = rng.uniform(0, 1, 11).astype("float32")
    weights[3] = 0.0
    tables = [w.numpy() for w in layer.weights]
    start = [a.numpy() for a in sums]

    def update(i, j, targets, weights):
        return layer.adagrad_update(
            (i, j), targets, weights, sums, 0.3, epsilon=1e-3, slice_size=4
        )

    if jit:
        update = tf.function(update, jit_compile=True)
    scores = keras.ops.convert_to_numpy(update(i, j, targets, weights))
    expected = _adagrad_in_slices(
        tables, start, i, j, targets, weights, 0.3, 1e-3, size=4
    )
    for got, want in zip(layer.weights, expected[0], strict=True):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    for got, want in zip(sums, expected[1], strict=True):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scores, expected[2], rtol=1e-5, atol=1e-6)


def test_adagrad_update_leaves_pairs_outside_the_vocabulary_alone():
    layer, sums = _glove_layer(8, 3)
    tables = [w.numpy() for w in layer.weights]
    fn = tf.function(
        lambda i, j: layer.adagrad_update((i, j), tf.ones(4), tf.ones(4), sums, 0.5),
        jit_compile=True,
    )
    scores = fn(tf.constant([8, -1, 2, 5]), tf.constant([0, 1, 9, 6])).numpy()
    assert np.isnan(scores[:3]).all()
    assert np.isfinite(scores[3])
    # Only the valid pair's rows moved: word 5 in W and b, word 6 in W~, b~.
    for table, before, row in zip(layer.weights, tables, (5, 6, 5, 6), strict=True):
        changed = table.numpy() != before
        changed = changed.any(axis=1) if changed.ndim == 2 else changed
        np.testing.assert_array_equal(np.flatnonzero(changed), [row])


def test_adagrad_update_checks_its_arguments():
    layer, sums = _glove_layer(8, 3)
    pairs, ones = (np.array([1, 2]), np.array([3, 4])), np.ones(2)
    with pytest.raises(ValueError, match="`slice_size` must be an integer >= 1"):
        layer.adagrad_update(pairs, ones, ones, sums, 0.1, slice_size=0)
    with pytest.raises(ValueError, match=re.escape("received [((8, 3), 'float32')]")):
        layer.adagrad_update(pairs, ones, ones, sums[:1], 0.1)
    with pytest.raises(ValueError, match="`accumulators` must be four variables"):
        layer.adagrad_update(pairs, ones, ones, sums[::-1], 0.1)
    doubles = [keras.Variable(np.ones(w.shape)) for w in layer.weights]
    with pytest.raises(ValueError, match="float64"):
        layer.adagrad_update(pairs, ones, ones, doubles, 0.1)
    before = [w.numpy() for w in layer.weights + sums]
    arrays = [*sums[:3], np.ones(8, "float32")]
    with pytest.raises(TypeError, match="received ndarray at index 3"):
        layer.adagrad_update(pairs, ones, ones, arrays, 0.1)
    for variable, old in zip(layer.weights + sums, before, strict=True):
        np.testing.assert_array_equal(variable.numpy(), old)
    tf_sums = [tf.Variable(tf.ones_like(w)) for w in layer.weights]
    layer.adagrad_update(pairs, ones, ones, tf_sums, 0.1)
    assert not np.array_equal(tf_sums[0].numpy(), before[4])


def test_adagrad_update_under_xla_updates_the_tables_in_place():
    # Keras's sparse AdaGrad takes the square root of every sum each step;
    # this update touches only the slice's rows.
    layer = GloVe(50_000, 8)
    layer.build()
    sums = [keras.Variable(np.ones(w.shape, "float32")) for w in layer.weights]
    fn = tf.function(
        lambda i, j: layer.adagrad_update(
            (i, j), tf.ones(8), tf.ones(8), sums, 0.1, slice_size=4
        ),
        jit_compile=True,
    )
    ids = tf.range(1, 9)
    assert_tables_updated_in_place(fn, (ids, ids[::-1]), rows=50_000)

"""`ksl.layers.GloVe`: the harness, the score against NumPy, vectors, errors."""

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import GloVe
from tests.harness import run_layer_test


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
    with pytest.raises(ValueError, match="`combine` must be one of"):
        layer.vectors("product")

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import SkipGram
from tests.harness import run_layer_test


def test_harness(tmp_path):
    run_layer_test(
        SkipGram,
        {"vocab_size": 7, "embedding_dim": 3},
        np.array([0, 3, 6, 2], "int32"),
        expected_output_shape=(4, 7),
        tmp_path=tmp_path,
    )


def test_probabilities_match_softmax_formula():
    layer = SkipGram(9, 4)
    centers = np.array([0, 4, 8])
    p = keras.ops.convert_to_numpy(layer(centers))
    e = layer.input_embeddings.numpy()[centers]
    theta = layer.output_embeddings.numpy()
    logits = e @ theta.T
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(p, expected, rtol=1e-5)
    logits_layer = SkipGram(9, 4, return_logits=True)
    logits_layer.build(None)
    logits_layer.set_weights(layer.get_weights())
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(logits_layer(centers)), logits, rtol=1e-5
    )


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"`vocab_size` must be an integer >= 1.*vocab_size=0",
    ):
        SkipGram(0, 3)
    with pytest.raises(ValueError, match="`embedding_dim` must be an integer >= 1"):
        SkipGram(3, 0)
    with pytest.raises(Exception, match="indices"):
        SkipGram(3, 2)(np.array([3]))

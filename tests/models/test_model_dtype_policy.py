"""Subclassed models pass their `dtype` policy on to every sublayer."""

import keras
import numpy as np
import pytest

from keras_seqlayers.models import (
    AveragedEmbeddingClassifier,
    GloVe,
    NeuralLanguageModel,
    RecurrentClassifier,
    Word2Vec,
)

MODELS = [
    pytest.param(
        lambda dtype: AveragedEmbeddingClassifier(12, 4, num_classes=3, dtype=dtype),
        id="averaged_classifier",
    ),
    pytest.param(
        lambda dtype: RecurrentClassifier(12, 4, num_classes=3, units=5, dtype=dtype),
        id="recurrent_classifier",
    ),
    pytest.param(
        lambda dtype: RecurrentClassifier(
            12, 4, num_classes=3, units=5, cell="lstm", bidirectional=False, dtype=dtype
        ),
        id="recurrent_classifier_lstm",
    ),
    pytest.param(
        lambda dtype: NeuralLanguageModel(
            12, context_size=3, embedding_dim=4, dtype=dtype
        ),
        id="neural_language_model",
    ),
]


@pytest.mark.parametrize("make", MODELS)
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_sublayers_follow_the_model_policy(make, policy):
    model = make(policy)
    outputs = model(np.array([[3, 4, 5], [6, 7, 0]]))
    assert model.layers
    assert {layer.dtype_policy.name for layer in model.layers} == {policy}
    assert np.all(np.isfinite(keras.ops.convert_to_numpy(outputs)))
    assert {v.dtype for v in model.weights} == {"float32"}


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "float64"])
def test_glove_trains_under_the_model_policy(policy):
    model = GloVe(6, 3, dtype=policy)
    pairs = (np.array([1, 2, 3]), np.array([2, 3, 4]))
    history = model.fit(pairs, np.array([1.0, 3.0, 7.0]), verbose=0)
    assert model.glove.dtype_policy.name == policy
    assert np.isfinite(history.history["loss"][0])
    variable_dtype = "float64" if policy == "float64" else "float32"
    assert {v.dtype for v in model.glove.weights} == {variable_dtype}


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
def test_word2vec_objective_follows_the_model_policy(loss):
    model = Word2Vec(
        ["a", "b"],
        [5, 4],
        embedding_dim=3,
        loss=loss,
        dtype="mixed_bfloat16",
    )
    corpus = [["a", "b", "a", "b", "a"]]
    history = model.fit(corpus, epochs=1, window=1, sample=0, verbose=0)
    assert model.objective.dtype_policy.name == "mixed_bfloat16"
    assert np.isfinite(history.history["loss"][0])
    assert {v.dtype for v in model.objective.trainable_weights} == {"float32"}


def test_glove_in_place_step_takes_counts_beyond_float16():
    # Under a float16 policy the step runs in float16: f(X) and log X of a
    # count of 70000 (inf in float16) are 1 and 11.16, which it holds.
    model = GloVe(6, 3, dtype="float16")
    before = keras.ops.convert_to_numpy(model.glove.word_embeddings)
    pairs = (np.array([1, 2]), np.array([3, 4]))
    model.fit(pairs, np.array([70000.0, 2.0]), batch_size=2, verbose=0)
    assert model._trains_in_place()
    W = keras.ops.convert_to_numpy(model.glove.word_embeddings)
    assert np.all(np.isfinite(W))
    assert not np.array_equal(W[1], before[1])

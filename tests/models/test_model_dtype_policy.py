"""Subclassed models pass their `dtype` policy on to every sublayer."""

import keras
import numpy as np
import pytest

from keras_seqlayers.models import (
    AveragedEmbeddingClassifier,
    NeuralLanguageModel,
    RecurrentClassifier,
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

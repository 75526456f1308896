"""AveragedEmbeddingClassifier: the formula in NumPy, padding, pretrained
vectors frozen or fine-tuned, save/load, export with integer inputs."""

import keras
import numpy as np
import pytest

from keras_seqlayers.embeddings import WordVectors
from keras_seqlayers.models import AveragedEmbeddingClassifier
from keras_seqlayers.text import Vocabulary
from tests.harness import check_export

# Subclassed models have no symbolic inputs: their export needs int ids.
TOKEN_IDS = [keras.InputSpec(shape=(None, None), dtype="int32", name="token_ids")]
RNG = np.random.default_rng(5)
IDS = np.array([[3, 4, 5, 0, 0], [6, 0, 0, 0, 0], [7, 8, 9, 3, 4]], "int32")
LABELS = np.array([0, 1, 1])


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _probabilities(table, kernel, bias, ids):
    """The model's formula in NumPy: softmax of the mean real-token vector."""
    means = np.array([table[row[row != 0]].mean(axis=0) for row in ids])
    return _softmax(means @ kernel + bias)


def _randomized_model():
    model = AveragedEmbeddingClassifier(10, 4, num_classes=3)
    model.build((None, None))
    model.set_weights([RNG.normal(size=w.shape) for w in model.get_weights()])
    return model


def test_matches_numpy_mean_over_real_tokens():
    model = _randomized_model()
    want = _probabilities(*model.get_weights(), IDS)
    np.testing.assert_allclose(model(IDS), want, atol=1e-5)
    # Trailing padding changes nothing.
    longer = np.pad(IDS, ((0, 0), (0, 3)))
    np.testing.assert_allclose(model(longer), model(IDS), atol=1e-6)


@pytest.mark.parametrize("trainable", [False, True])
def test_pretrained_frozen_or_fine_tuned(trainable):
    matrix = RNG.normal(size=(10, 4)).astype("float32")
    model = AveragedEmbeddingClassifier.from_pretrained(
        matrix, num_classes=2, trainable_embeddings=trainable
    )
    np.testing.assert_array_equal(model.embedding.embeddings.numpy(), matrix)
    model.compile(
        optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy"
    )
    model.fit(IDS, LABELS, epochs=2, verbose=0)
    changed = not np.allclose(model.embedding.embeddings.numpy(), matrix)
    assert changed is trainable
    assert len(model.trainable_weights) == (3 if trainable else 2)


def test_pretrained_from_word_vectors_and_vocabulary():
    vocabulary = Vocabulary(["good", "bad", "film"])
    vectors = WordVectors(["film", "good", "other"], np.eye(3, dtype="float32"))
    model = AveragedEmbeddingClassifier.from_pretrained(
        vectors, num_classes=2, vocabulary=vocabulary
    )
    table = model.embedding.embeddings.numpy()
    np.testing.assert_array_equal(table[vocabulary.token_to_id("good")], [0, 1, 0])
    np.testing.assert_array_equal(table[vocabulary.token_to_id("film")], [1, 0, 0])
    np.testing.assert_array_equal(table[vocabulary.pad_id], 0.0)
    assert np.linalg.norm(table[vocabulary.token_to_id("bad")]) > 0


def test_save_load_and_export(tmp_path):
    model = AveragedEmbeddingClassifier(10, 4, num_classes=2)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(IDS, LABELS, epochs=1, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is AveragedEmbeddingClassifier
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(loaded(IDS), model(IDS), atol=1e-6)
    check_export(model, [IDS], tmp_path, atol=1e-5, input_signature=TOKEN_IDS)


def test_fit_and_predict_under_xla_match_numpy():
    model = _randomized_model()
    before = _probabilities(*model.get_weights(), IDS)
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True
    )
    history = model.fit(IDS, LABELS, batch_size=len(IDS), epochs=1, verbose=0)
    # One step: the loss it reports is that of the weights before the update.
    expected_loss = -np.log(before[np.arange(len(IDS)), LABELS]).mean()
    np.testing.assert_allclose(history.history["loss"][-1], expected_loss, rtol=1e-5)
    after = _probabilities(*model.get_weights(), IDS)
    np.testing.assert_allclose(model.predict(IDS, verbose=0), after, atol=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"`vocab_size` must be an integer >= 1"):
        AveragedEmbeddingClassifier(0, 4, 2)
    with pytest.raises(ValueError, match=r"`num_classes` must be an integer >= 2"):
        AveragedEmbeddingClassifier(10, 4, 1)
    with pytest.raises(TypeError, match="`embedding_dim` must be an integer"):
        AveragedEmbeddingClassifier(10, 2.5, 2)
    with pytest.raises(TypeError, match="`trainable_embeddings` must be True"):
        AveragedEmbeddingClassifier(10, 4, 2, trainable_embeddings="no")
    with pytest.raises(ValueError, match="`vocabulary` is required"):
        AveragedEmbeddingClassifier.from_pretrained(
            WordVectors(["a"], np.ones((1, 2))), num_classes=2
        )
    with pytest.raises(ValueError, match=r"\(vocab_size, dim\) matrix"):
        AveragedEmbeddingClassifier.from_pretrained(np.ones(3), num_classes=2)

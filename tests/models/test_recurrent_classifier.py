"""RecurrentClassifier: NumPy reference through embedding, both directions
and softmax; padded == alone; pretrained vectors; save/load; export."""

import keras
import numpy as np
import pytest

from keras_seqlayers.models import RecurrentClassifier
from tests.harness import check_export
from tests.layers.recurrent.reference import run, step_for

# Subclassed models have no symbolic inputs: their export needs int ids.
TOKEN_IDS = [keras.InputSpec(shape=(None, None), dtype="int32", name="token_ids")]
RNG = np.random.default_rng(9)
IDS = np.array([[3, 4, 5, 0, 0], [6, 0, 0, 0, 0], [7, 8, 9, 3, 4]], "int32")
LABELS = np.array([0, 1, 1])


def _softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


@pytest.mark.parametrize(
    ("cell", "options"),
    [
        ("gru", {}),
        ("lstm", {}),
        ("lstm", {"bidirectional": False}),
        ("gru", {"merge_mode": "sum"}),
    ],
    ids=["gru", "lstm", "lstm_unidirectional", "gru_sum"],
)
def test_matches_numpy_per_sequence(cell, options):
    model = RecurrentClassifier(10, 4, num_classes=3, units=5, cell=cell, **options)
    model.build((None, None))
    model.set_weights(
        [RNG.normal(scale=0.5, size=w.shape) for w in model.get_weights()]
    )
    table = model.embedding.embeddings.numpy()
    kernel, bias = model.classifier.get_weights()
    bidirectional = options.get("bidirectional", True)
    if bidirectional:
        forward = step_for(model.recurrent.forward_layer)
        backward = step_for(model.recurrent.backward_layer)
    else:
        forward = step_for(model.recurrent)
    n = 2 if cell == "lstm" else 1
    want = []
    for row in IDS:
        x = table[row[row != 0]][None]
        zeros = [np.zeros((1, 5)) for _ in range(n)]
        features, _ = run(forward, x, zeros)
        features = features[0, -1]
        if bidirectional:
            bw, _ = run(backward, x, zeros, go_backwards=True)
            if options.get("merge_mode") == "sum":
                features = features + bw[0, -1]
            else:
                features = np.concatenate([features, bw[0, -1]])
        want.append(_softmax(features @ kernel + bias))
    np.testing.assert_allclose(model(IDS), np.array(want), atol=1e-5)


@pytest.mark.parametrize("trainable", [False, True])
def test_pretrained_frozen_or_fine_tuned(trainable):
    matrix = RNG.normal(size=(10, 4)).astype("float32")
    model = RecurrentClassifier.from_pretrained(
        matrix, num_classes=2, units=3, trainable_embeddings=trainable
    )
    np.testing.assert_array_equal(model.embedding.embeddings.numpy(), matrix)
    model.compile(
        optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy"
    )
    model.fit(IDS, LABELS, epochs=2, verbose=0)
    changed = not np.allclose(model.embedding.embeddings.numpy(), matrix)
    assert changed is trainable


def test_save_load_export_and_xla_fit(tmp_path):
    model = RecurrentClassifier(10, 4, num_classes=2, units=3, dropout=0.1)
    model.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True
    )
    model.fit(IDS, LABELS, epochs=1, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is RecurrentClassifier
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(loaded(IDS), model(IDS), atol=1e-6)
    ops = check_export(model, [IDS], tmp_path, atol=1e-5, input_signature=TOKEN_IDS)
    assert not [op for op in ops if op.startswith("Cudnn")]


def test_bad_arguments():
    with pytest.raises(ValueError, match="`cell` must be one of"):
        RecurrentClassifier(10, 4, 2, cell="rnn")
    with pytest.raises(ValueError, match="`merge_mode` must be one of"):
        RecurrentClassifier(10, 4, 2, merge_mode=None)
    with pytest.raises(ValueError, match=r"`units` must be an integer >= 1"):
        RecurrentClassifier(10, 4, 2, units=0)
    with pytest.raises(TypeError, match="`bidirectional` must be True or False"):
        RecurrentClassifier(10, 4, 2, bidirectional=1)
    with pytest.raises(ValueError, match=r"`dropout` must be a float in \[0, 1\)"):
        RecurrentClassifier(10, 4, 2, dropout=1.5)

import keras
import numpy as np
import pytest

from keras_seqlayers.models import NeuralLanguageModel, Perplexity
from keras_seqlayers.text import ngram_windows


def test_ngram_windows_brute_force():
    seqs = [[5, 6, 7, 8], [9], []]
    x, y = ngram_windows(seqs, context_size=3, pad_id=0, add_eos_id=2)
    expected = []
    for seq in seqs:
        full = [*seq, 2]
        for t, word in enumerate(full):
            ctx = [full[i] if i >= 0 else 0 for i in range(t - 3, t)]
            expected.append((ctx, word))
    assert x.tolist() == [c for c, _ in expected]
    assert y.tolist() == [w for _, w in expected]
    with pytest.raises(ValueError, match="`context_size` must be an integer >= 1"):
        ngram_windows(seqs, 0)
    with pytest.raises(TypeError, match="received context_size=True"):
        ngram_windows(seqs, True)
    x64, y64 = ngram_windows(seqs, context_size=np.int64(3), pad_id=0, add_eos_id=2)
    assert x64.tolist() == x.tolist()
    assert y64.tolist() == y.tolist()
    with pytest.raises(ValueError, match="corpus is empty"):
        ngram_windows([[]], 2)


def test_forward_matches_numpy_formula():
    model = NeuralLanguageModel(
        vocab_size=11, context_size=2, embedding_dim=3, hidden_units=4
    )
    x = np.array([[1, 2], [10, 0]])
    p = keras.ops.convert_to_numpy(model(x))
    C = model.embeddings
    H, d = (w.numpy() for w in model.hidden.weights)
    U, b = (w.numpy() for w in model.logits.weights)
    h = np.tanh(np.concatenate([C[x[:, 0]], C[x[:, 1]]], axis=1) @ H + d)
    logits = h @ U + b
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(p, expected, rtol=1e-5, atol=1e-7)


def test_perplexity_metric_matches_formula():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(5), size=8).astype("float32")
    y = rng.integers(0, 5, 8)
    metric = Perplexity()
    metric.update_state(y, p)
    expected = np.exp(-np.mean(np.log(p[np.arange(8), y])))
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5)


def test_perplexity_metric_weighs_samples():
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(5), size=6).astype("float32")
    y = rng.integers(0, 5, 6)
    weight = np.array([1, 0, 2, 1, 0, 1], "float32")
    metric = Perplexity()
    metric.update_state(y, p, sample_weight=weight)
    nll = -np.log(p[np.arange(6), y])
    expected = np.exp(np.sum(weight * nll) / np.sum(weight))
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5)


def test_fit_lowers_perplexity_and_round_trips(tmp_path):
    # A deterministic cyclic corpus: the next word is fully predictable.
    seqs = [[3, 4, 5, 6, 7] * 8] * 4
    x, y = ngram_windows(seqs, context_size=2)
    model = NeuralLanguageModel(
        vocab_size=8, context_size=2, embedding_dim=8, hidden_units=16
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss="sparse_categorical_crossentropy",
        metrics=[Perplexity()],
    )
    before = model.evaluate(x, y, verbose=0, return_dict=True)["perplexity"]
    model.fit(x, y, epochs=30, batch_size=32, verbose=0)
    after = model.evaluate(x, y, verbose=0, return_dict=True)["perplexity"]
    assert before > 6  # about uniform over 8 words at initialisation
    assert after < 1.5
    path = str(tmp_path / "nlm.keras")
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(again(x[:5])),
        keras.ops.convert_to_numpy(model(x[:5])),
        rtol=1e-6,
    )
    wv = model.vectors([f"w{i}" for i in range(8)])
    assert wv.vectors.shape == (8, 8)


def test_bad_arguments():
    with pytest.raises(ValueError, match="`context_size` must be an integer >= 1"):
        NeuralLanguageModel(10, context_size=0)
    with pytest.raises(ValueError, match=r"`dropout` must be a float in \[0, 1\)"):
        NeuralLanguageModel(10, dropout=1.0)
    with pytest.raises(ValueError, match="`words` must have `vocab_size`=10"):
        NeuralLanguageModel(10).vectors(["a"])

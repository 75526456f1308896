"""Word2Vec and GloVe trained from corpora in files, streamed."""

import gzip
import math

import keras
import numpy as np
import pytest

from keras_seqlayers.models import GloVe, Word2Vec
from keras_seqlayers.text import LineCorpus, Vocabulary
from keras_seqlayers.text import corpus as corpus_module


def _lines(num_lines=300, seed=0):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(40)]
    weights = 1.0 / np.arange(1, 41)
    weights /= weights.sum()
    return [
        " ".join(rng.choice(words, rng.integers(0, 12), p=weights))
        for _ in range(num_lines)
    ]


def _write(path, lines):
    text = "".join(f"{line}\n" for line in lines)
    if str(path).endswith(".gz"):
        with gzip.open(path, "wt") as f:
            f.write(text)
    else:
        path.write_text(text)
    return path


@pytest.fixture
def no_encode(monkeypatch):
    """Makes reading a corpus into memory as ids an error."""

    def refuse(self, corpus, add_eos=False):
        raise AssertionError("the corpus was read into memory (Vocabulary.encode)")

    def forbid():
        monkeypatch.setattr(Vocabulary, "encode", refuse)

    return forbid


class _Steps(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.steps = self.params["steps"]


def test_glove_counts_a_file_as_the_list_of_its_lines(tmp_path, no_encode):
    lines = _lines()
    path = _write(tmp_path / "corpus.txt.gz", lines)
    options = {"min_count": 2, "window": 4, "embedding_dim": 4, "verbose": 0}
    in_memory = GloVe.from_corpus(lines, **options)
    no_encode()
    streamed = GloVe.from_corpus(path, **options)
    assert streamed.vocabulary.words == in_memory.vocabulary.words
    expected, got = in_memory.cooccurrence, streamed.cooccurrence
    assert got.nnz > 100
    np.testing.assert_array_equal(got.rows, expected.rows)
    np.testing.assert_array_equal(got.cols, expected.cols)
    np.testing.assert_array_equal(got.values, expected.values)


def test_word2vec_trains_on_a_file_as_on_the_list_of_its_lines(tmp_path, no_encode):
    lines = _lines()
    path = _write(tmp_path / "corpus.txt", lines)
    options = {
        "min_count": 2,
        "embedding_dim": 8,
        "window": 3,
        "batch_size": 32,
        "seed": 3,
        "verbose": 0,
    }
    in_memory_steps, streamed_steps = _Steps(), _Steps()
    in_memory = Word2Vec.from_corpus(
        lines, epochs=2, callbacks=[in_memory_steps], **options
    )
    untrained = Word2Vec.from_corpus(path, embedding_dim=8, min_count=2, seed=3)
    no_encode()
    streamed = Word2Vec.from_corpus(
        path, epochs=2, callbacks=[streamed_steps], **options
    )
    assert streamed.vocabulary.words == in_memory.vocabulary.words
    np.testing.assert_array_equal(
        streamed.vocabulary.counts, in_memory.vocabulary.counts
    )
    # Steps per epoch come from the expected pairs of one pass.
    assert streamed_steps.steps == in_memory_steps.steps > 5
    losses = streamed.history.history["loss"]
    assert len(losses) == 2
    assert all(math.isfinite(loss) for loss in losses)
    trained = streamed.vectors.vectors
    assert not np.allclose(trained, untrained.vectors.vectors)
    # The same seed draws the same pairs from the file as from the list.
    np.testing.assert_allclose(trained, in_memory.vectors.vectors, rtol=1e-5)


def test_word2vec_fit_streams_paths_globs_and_line_corpora(tmp_path, no_encode):
    lines = _lines(seed=1)
    first = _write(tmp_path / "a.txt", lines[:150])
    _write(tmp_path / "b.txt.gz", lines[150:])
    model = Word2Vec.from_corpus(lines, min_count=2, embedding_dim=4, seed=0)
    no_encode()
    for corpus in (str(tmp_path / "*.txt*"), [first], LineCorpus(first)):
        history = model.fit(corpus, epochs=1, batch_size=32, verbose=0)
        assert math.isfinite(history.history["loss"][0])


def test_word2vec_streamed_statistics_span_many_batches(tmp_path, monkeypatch):
    # In batches of 7 lines, the tokens, the check for pairs and the
    # expected pairs (which sets the steps per epoch) add up over batches.
    lines = _lines(seed=2)
    path = _write(tmp_path / "corpus.txt", lines)
    model = Word2Vec.from_corpus(lines, min_count=2, embedding_dim=4, seed=0)
    steps = [_Steps(), _Steps()]
    model.fit(lines, epochs=1, batch_size=16, callbacks=[steps[0]], verbose=0)
    monkeypatch.setattr(corpus_module, "STREAM_BATCH_LINES", 7)
    history = model.fit(path, epochs=1, batch_size=16, callbacks=[steps[1]], verbose=0)
    assert steps[1].steps == steps[0].steps
    assert math.isfinite(history.history["loss"][0])


def test_word2vec_refuses_a_file_without_tokens_or_pairs(tmp_path):
    model = Word2Vec.from_corpus(["a b c", "b c a"], min_count=1, embedding_dim=4)
    empty = _write(tmp_path / "empty.txt", ["", "", ""])
    with pytest.raises(ValueError, match="corpus is empty"):
        model.fit(empty, epochs=1, verbose=0)
    # One word of the vocabulary per line: no line holds a pair.
    single = _write(tmp_path / "single.txt", ["a", "b zzz", "c"])
    with pytest.raises(ValueError, match="no skip-gram pair"):
        model.fit(single, epochs=1, verbose=0)

"""Our reader and writer against gensim's `KeyedVectors` on the same files,
in every format and compression both read."""

import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    load_word2vec_format,
    save_word2vec_format,
)

KeyedVectors = pytest.importorskip("gensim.models").KeyedVectors

# (file name, our writer's arguments, gensim's reader and writer arguments)
FORMATS = [
    ("v.txt", {"binary": False}, {"binary": False}),
    ("v.bin", {"binary": True}, {"binary": True}),
    ("glove.txt", {"write_header": False}, {"no_header": True}),
]


@pytest.fixture
def wv():
    rng = np.random.default_rng(0)
    words = ["the", "cat", "naïve", "日本", "x"]
    return WordVectors(words, rng.normal(size=(5, 7)).astype("float32"))


@pytest.mark.parametrize("compression", ["", ".gz", ".bz2"])
@pytest.mark.parametrize(("name", "ours", "theirs"), FORMATS)
def test_both_readers_agree_on_what_we_write(
    wv, tmp_path, name, ours, theirs, compression
):
    path = str(tmp_path / (name + compression))
    save_word2vec_format(path, wv, **ours)
    kv = KeyedVectors.load_word2vec_format(path, **theirs)
    back = load_word2vec_format(path)  # the format detected from the content
    assert kv.index_to_key == wv.words
    np.testing.assert_array_equal(kv.vectors, wv.vectors)
    assert back.words == kv.index_to_key
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    assert load_word2vec_format(path, **theirs).words == wv.words


@pytest.mark.parametrize(("name", "ours", "theirs"), FORMATS)
def test_we_read_what_gensim_writes(wv, tmp_path, name, ours, theirs):
    kv = KeyedVectors(vector_size=7)
    kv.add_vectors(wv.words, wv.vectors)
    path = str(tmp_path / ("g.w2v" + name))
    kv.save_word2vec_format(
        path,
        binary=theirs.get("binary", False),
        write_header=not theirs.get("no_header", False),
    )
    for back in load_word2vec_format(path), load_word2vec_format(path, **theirs):
        assert back.words == wv.words
        np.testing.assert_array_equal(back.vectors, wv.vectors)
    limited = load_word2vec_format(path, limit=2)
    assert limited.words == wv.words[:2]
    assert (
        limited.words
        == KeyedVectors.load_word2vec_format(path, limit=2, **theirs).index_to_key
    )

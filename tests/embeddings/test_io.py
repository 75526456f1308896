import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    load_word2vec_format,
    save_word2vec_format,
)

KeyedVectors = pytest.importorskip("gensim.models").KeyedVectors


@pytest.fixture
def wv():
    rng = np.random.default_rng(0)
    words = ["the", "cat", "naïve", "日本", "x"]
    return WordVectors(words, rng.normal(size=(5, 7)).astype("float32"))


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_what_we_write(wv, tmp_path, binary):
    path = str(tmp_path / ("v.bin" if binary else "v.txt"))
    save_word2vec_format(path, wv, binary=binary)
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    assert kv.index_to_key == wv.words
    np.testing.assert_array_equal(kv.vectors, wv.vectors)


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_what_gensim_writes(wv, tmp_path, binary):
    kv = KeyedVectors(vector_size=7)
    kv.add_vectors(wv.words, wv.vectors)
    path = str(tmp_path / "g.w2v")
    kv.save_word2vec_format(path, binary=binary)
    back = load_word2vec_format(path, binary=binary)
    assert back.words == wv.words
    np.testing.assert_array_equal(back.vectors, wv.vectors)
    limited = load_word2vec_format(path, binary=binary, limit=2)
    assert limited.words == wv.words[:2]


def test_google_style_binary_with_newlines(tmp_path):
    # Hand-written bytes as word2vec.c writes them: word, space, floats, "\n".
    vecs = np.array([[1.5, -2.0], [0.25, 3.0]], dtype="<f4")
    data = b"2 2\n" + b"".join(
        w + b" " + v.tobytes() + b"\n" for w, v in zip([b"ab", b"c"], vecs, strict=True)
    )
    path = tmp_path / "google.bin"
    path.write_bytes(data)
    back = load_word2vec_format(str(path))  # binary inferred from .bin
    assert back.words == ["ab", "c"]
    np.testing.assert_array_equal(back.vectors, vecs)


def test_array_input_and_bad_inputs(tmp_path):
    path = str(tmp_path / "a.txt")
    save_word2vec_format(path, np.ones((2, 3)), words=["a", "b"])
    assert load_word2vec_format(path).words == ["a", "b"]
    with pytest.raises(ValueError, match="`words` is required"):
        save_word2vec_format(path, np.ones((2, 3)))
    with pytest.raises(ValueError, match="contains whitespace"):
        save_word2vec_format(path, np.ones((1, 3)), words=["a b"])
    bad = tmp_path / "bad.txt"
    bad.write_text("hello\n")
    with pytest.raises(ValueError, match="first line must be"):
        load_word2vec_format(str(bad))
    bad.write_text("2 3\na 1 2 3\n")
    with pytest.raises(ValueError, match="shorter"):
        load_word2vec_format(str(bad))
    bad.write_text("1 3\na 1 2\n")
    with pytest.raises(ValueError, match="has 2 values; expected 3"):
        load_word2vec_format(str(bad))
    trunc = tmp_path / "t.bin"
    trunc.write_bytes(b"1 4\na " + b"\0" * 8)
    with pytest.raises(ValueError, match="unexpected end of file"):
        load_word2vec_format(str(trunc))

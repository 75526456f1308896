"""Reading and writing word vectors in each format, from hand-written files."""

import bz2
import gzip

import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    load_word2vec_format,
    save_word2vec_format,
)

VECS = np.array([[1.5, -2.0, 0.25], [0.125, 3.0, -1.0]], dtype="<f4")
TEXT_ROWS = b"ab 1.5 -2 0.25\nc 0.125 3 -1\n"
# Hand-written bytes for each format, as the tools that make them write them.
FILES = {
    "word2vec": b"2 3\n" + TEXT_ROWS,
    "glove": TEXT_ROWS,
    # word2vec.c: word, space, floats, "\n".
    "word2vec_binary": b"2 3\nab "
    + VECS[0].tobytes()
    + b"\nc "
    + VECS[1].tobytes()
    + b"\n",
    # gensim: no newline after the floats.
    "gensim_binary": b"2 3\nab " + VECS[0].tobytes() + b"c " + VECS[1].tobytes(),
}
FORMAT_OF = {"gensim_binary": "word2vec_binary"}


def _check(wv):
    assert wv.words == ["ab", "c"]
    np.testing.assert_array_equal(wv.vectors, VECS)


@pytest.mark.parametrize("kind", sorted(FILES))
@pytest.mark.parametrize("compress", [None, gzip.compress, bz2.compress])
def test_each_format_is_detected_from_its_content(tmp_path, kind, compress):
    path = tmp_path / "vectors.data"  # no telling extension
    data = FILES[kind]
    path.write_bytes(compress(data) if compress else data)
    _check(load_word2vec_format(str(path)))
    _check(load_word2vec_format(path, format=FORMAT_OF.get(kind, kind)))


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("word2vec", {"binary": False}),
        ("word2vec", {"no_header": False}),
        ("word2vec", {"binary": False, "no_header": False}),
        ("word2vec_binary", {"binary": True}),
        ("word2vec_binary", {"no_header": False}),
        ("glove", {"no_header": True}),
        ("glove", {"binary": False}),
        ("glove", {"binary": False, "no_header": True, "format": "glove"}),
    ],
)
def test_gensim_spellings_choose_the_format(tmp_path, kind, kwargs):
    path = tmp_path / "v"
    path.write_bytes(FILES[kind])
    _check(load_word2vec_format(str(path), **kwargs))


def test_glove_details(tmp_path):
    path = tmp_path / "g.txt"
    # A numeric first word, Windows line ends and trailing blank lines.
    path.write_bytes(b"2 0.5 1\r\nx -1 1e-3\r\n\r\n\n")
    wv = load_word2vec_format(str(path))
    assert wv.words == ["2", "x"]
    np.testing.assert_array_equal(wv.vectors, np.float32([[0.5, 1], [-1, 1e-3]]))
    assert load_word2vec_format(str(path), limit=1).words == ["2"]
    assert load_word2vec_format(str(path), limit=0).vectors.shape == (0, 2)
    # One value per word and a numeric first word: only `format` tells.
    path.write_text("7 0.5\nx 1\n")
    assert load_word2vec_format(str(path), format="glove").words == ["7", "x"]


def test_limit_reads_the_first_vectors_of_each_format(tmp_path):
    for kind in FILES:
        path = tmp_path / kind
        path.write_bytes(FILES[kind])
        wv = load_word2vec_format(str(path), limit=1)
        assert wv.words == ["ab"]
        np.testing.assert_array_equal(wv.vectors, VECS[:1])


def test_empty_header_file_and_trailing_newlines(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("0 4\n")
    assert load_word2vec_format(str(path)).vectors.shape == (0, 4)
    path.write_bytes(FILES["word2vec"] + b"\n\n")
    _check(load_word2vec_format(str(path)))


@pytest.mark.parametrize(
    ("suffix", "write_header"),
    [
        (".txt", True),
        (".txt", False),
        (".bin", True),
        (".txt.gz", True),
        (".txt.gz", False),
        (".bin.bz2", True),
    ],
)
def test_round_trip(tmp_path, suffix, write_header):
    wv = WordVectors(["the", "naïve", "日本"], np.float32([[1, 2], [3, -4], [0.1, 5]]))
    path = str(tmp_path / ("v" + suffix))
    binary = ".bin" in suffix
    save_word2vec_format(path, wv, binary=None, write_header=write_header)
    opener = {".gz": gzip.open, ".bz2": bz2.open}.get(suffix[suffix.rfind(".") :])
    with (opener or open)(path, "rb") as f:
        raw = f.read()
    assert raw.startswith(b"3 2\n") == write_header
    assert (b"\x00" in raw) == binary  # float32 1.0 holds zero bytes
    back = load_word2vec_format(path)
    assert back.words == wv.words
    np.testing.assert_array_equal(back.vectors, wv.vectors)


def test_glove_text_is_written_without_header(tmp_path):
    path = tmp_path / "g.txt"
    save_word2vec_format(str(path), np.float32([[1, 0.5]]), ["a"], write_header=False)
    assert path.read_text() == "a 1 0.5\n"


def test_array_input(tmp_path):
    path = str(tmp_path / "a.txt")
    save_word2vec_format(path, np.ones((2, 3)), words=["a", "b"])
    assert load_word2vec_format(path).words == ["a", "b"]


def test_non_finite_values_load_when_allowed(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("2 2\na 1 nan\nb -inf 1e39\n")
    wv = load_word2vec_format(str(path), allow_non_finite=True)
    assert np.isnan(wv["a"][1])
    assert wv["b"].tolist() == [-np.inf, np.inf]  # 1e39 overflows float32
    bin_path = tmp_path / "v.bin"
    bin_path.write_bytes(b"1 2\na " + np.float32([np.nan, 1]).tobytes() + b"\n")
    assert np.isnan(load_word2vec_format(bin_path, allow_non_finite=True)["a"][0])

"""Bad input to word2vec-format I/O and the Projector export."""

import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    export_projector,
    load_word2vec_format,
    save_word2vec_format,
)


def test_bad_arguments_raise(tmp_path):
    wv = WordVectors(["a", "b"], np.eye(2))
    path = str(tmp_path / "v.txt")
    with pytest.raises(
        TypeError, match=r"`binary` must be True, False or None; received binary=1"
    ):
        save_word2vec_format(path, wv, binary=1)
    save_word2vec_format(path, wv, binary=np.True_)
    with open(path, "rb") as f:
        assert b"a " + np.float32([1, 0]).tobytes() in f.read()  # binary rows
    loaded = load_word2vec_format(path, binary=np.True_)
    np.testing.assert_array_equal(loaded["b"], wv["b"])
    assert load_word2vec_format(path, binary=True, limit=np.int64(1)).words == ["a"]
    with pytest.raises(TypeError, match=r"`limit` must be an integer >= 0 or None"):
        load_word2vec_format(path, binary=True, limit=1.5)
    with pytest.raises(ValueError, match=r"received limit=-1"):
        load_word2vec_format(path, binary=True, limit=-1)
    with pytest.raises(
        ValueError, match=r"Pass `words` only when `vectors` is an array.*\['a', 'b'\]"
    ):
        save_word2vec_format(path, wv, words=["a", "b"])
    with pytest.raises(
        TypeError, match=r"`vectors` must be a WordVectors; received ndarray"
    ):
        export_projector(str(tmp_path), np.eye(2))


@pytest.mark.parametrize("binary", [False, True])
def test_repeated_word_in_file_raises(tmp_path, binary):
    path = tmp_path / ("v.bin" if binary else "v.txt")
    if binary:
        row = np.array([1.0, 2.0], "<f4").tobytes()
        path.write_bytes(b"3 2\na " + row + b"\nb " + row + b"\na " + row + b"\n")
    else:
        path.write_text("3 2\na 1 2\nb 1 2\na 3 4\n")
    with pytest.raises(
        ValueError, match=r"a word appears more than once; repeated words: \['a'\]"
    ):
        load_word2vec_format(str(path))

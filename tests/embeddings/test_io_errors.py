"""Bad input to word-vector I/O and the Projector export: bad arguments, and
malformed files, each refused with the file, the place and what was
expected."""

import gzip
import re

import numpy as np
import pytest

from keras_seqlayers.embeddings import (
    WordVectors,
    export_projector,
    load_word2vec_format,
    save_word2vec_format,
)

ROW = np.array([1.0, 2.0], "<f4").tobytes()


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
    with pytest.raises(ValueError, match="`words` is required"):
        save_word2vec_format(path, np.ones((2, 3)))
    with pytest.raises(ValueError, match="contains whitespace"):
        save_word2vec_format(path, np.ones((1, 3)), words=["a b"])
    with pytest.raises(
        TypeError, match=r"`vectors` must be a WordVectors; received ndarray"
    ):
        export_projector(str(tmp_path), np.eye(2))


def test_bad_format_arguments_raise(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("1 2\na 1 2\n")
    with pytest.raises(ValueError, match=r"`format` must be one of .*'glove'.*'text'"):
        load_word2vec_format(path, format="text")
    with pytest.raises(TypeError, match=r"`no_header` must be True, False or None"):
        load_word2vec_format(path, no_header="yes")
    with pytest.raises(ValueError, match=r"format='glove', binary=True .*no format"):
        load_word2vec_format(path, binary=True, format="glove")
    with pytest.raises(ValueError, match=r"binary=True and no_header=True .*no format"):
        load_word2vec_format(path, binary=True, no_header=True)
    with pytest.raises(ValueError, match=r"no_header=False .*no format"):
        load_word2vec_format(path, format="glove", no_header=False)
    with pytest.raises(ValueError, match=r"`unicode_errors` .*received.*'lenient'"):
        load_word2vec_format(path, unicode_errors="lenient")
    with pytest.raises(TypeError, match=r"`allow_non_finite` must be True or False"):
        load_word2vec_format(path, allow_non_finite=None)
    wv = WordVectors(["a"], [[1.0, 2.0]])
    with pytest.raises(TypeError, match=r"`write_header` must be True or False"):
        save_word2vec_format(str(path), wv, write_header=0)
    with pytest.raises(ValueError, match=r"binary=True with write_header=False"):
        save_word2vec_format(str(path), wv, binary=True, write_header=False)


# (file content, load_word2vec_format arguments, what the message must say
# after the file name)
MALFORMED = {
    "not a number (GloVe)": (
        b"cat 0.1 0.2 abc 0.4\n",
        {},
        "line 1: expected a number as value 3 of 'cat'; found 'abc'",
    ),
    "not a number (word2vec text)": (
        b"2 4\ndog 1 2 3 4\ncat 0.1 0.2 abc 0.4\n",
        {},
        "line 3: expected a number as value 3 of 'cat'; found 'abc'",
    ),
    "negative header": (
        b"-2 3\na 1 2 3\n",
        {},
        "line 1: expected a header `<count> <dim>` with count >= 0 and dim >= 1; "
        "found count=-2, dim=3",
    ),
    "zero dim": (b"1 0\na\n", {}, "line 1: .* dim >= 1; found count=1, dim=0"),
    "header not two integers": (
        b"2 3.5\na 1 2 3\n",
        {},
        "line 1: expected a word2vec header `<count> <dim>` of two integers; "
        "found '2 3.5'",
    ),
    "header not two integers (word2vec asked)": (
        b"the 1 2 3\n",
        {"format": "word2vec"},
        "line 1: expected a word2vec header .* of two integers; found 'the 1 2 3'",
    ),
    "neither header nor GloVe row": (
        b"hello\n",
        {},
        "line 1: expected a word2vec header `<count> <dim>` or GloVe's "
        "`word v1 v2 ...`; found 'hello'",
    ),
    "GloVe row without values": (
        b"hello\n",
        {"format": "glove"},
        "line 1: expected GloVe's `word v1 v2 ...`; found 'hello'",
    ),
    "text read as binary": (
        b"2 3\nab 0.125 -2.5 3.75\ncd 1 2 3\n",
        {"binary": True},
        "line 2: expected a binary row .* the file is word2vec text.*binary=False",
    ),
    "binary read as text": (
        b"1 2\nab " + np.float32([1.5, 2.5]).tobytes() + b"\n",
        {"binary": False},
        r"line 2: expected UTF-8 text; byte 9 is not .*binary=True",
    ),
    "too few values (word2vec text)": (
        b"1 3\na 1 2\n",
        {},
        r"line 2: expected a word and 3 values \(the header dim\); found 2 values "
        "after 'a'",
    ),
    "too many values (GloVe)": (
        b"a 1 2\nb 1 2 3\n",
        {},
        r"line 2: expected a word and 2 values \(as on line 1\); found 3 values "
        "after 'b'",
    ),
    "fewer rows than the header says (text)": (
        b"3 2\na 1 2\nb 3 4\n",
        {},
        r"the header announces 3 vectors; the file ends after 2 \(line 3\)",
    ),
    "more rows than the header says (text)": (
        b"1 2\na 1 2\nb 3 4\n",
        {},
        "line 3: the header announces 1 vectors; expected the end of the file",
    ),
    "truncated binary": (
        b"2 2\na " + ROW + b"\nb " + ROW[:5],
        {},
        "byte 14: expected vector 2 of 2 .* 8 bytes.*; the file ends at byte 22",
    ),
    "binary cut before the space": (
        b"2 2\na " + ROW + b"\nbb",
        {},
        "byte 14: expected vector 2 of 2 .*; the file ends at byte 17",
    ),
    "more rows than the header says (binary)": (
        b"1 2\na " + ROW + b"\nb " + ROW + b"\n",
        {},
        "byte 14: the header announces 1 vectors; expected the end of the file",
    ),
    "binary row without a word": (
        b"2 2\na " + ROW + b"\n " + ROW + b"\n",
        {},
        "byte 15: expected a word before the space of vector 2 of 2; found none",
    ),
    "binary word not UTF-8": (
        b"1 2\n\xff\xfe " + ROW + b"\n",
        {},
        r"byte 4: expected a UTF-8 word for vector 1 of 1; found b'\\xff\\xfe'",
    ),
    "text not UTF-8": (
        b"a 1 2\n\xff 3 4\n",
        {},
        "line 2: expected UTF-8 text; byte 6 is not",
    ),
    "empty file": (
        b"",
        {},
        "the file is empty; expected a word2vec header `<count> <dim>` or GloVe's",
    ),
    "blank file": (
        b"\n \n",
        {"binary": True},
        "the file is empty; expected a word2vec",
    ),
    "not really gzip": (
        b"\x1f\x8b\x08garbage",
        {},
        "the file starts as gzip data but cannot be decompressed",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_named_with_the_place_and_the_expectation(tmp_path, case):
    content, kwargs, expected = MALFORMED[case]
    path = tmp_path / "vectors.data"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(str(path)) + ": " + expected):
        load_word2vec_format(str(path), **kwargs)


def test_place_is_counted_in_the_decompressed_data(tmp_path):
    path = tmp_path / "v.txt.gz"
    path.write_bytes(gzip.compress(b"2 2\na 1 2\nb 3 x\n"))
    with pytest.raises(ValueError, match=r"v.txt.gz: line 3: .* found 'x'"):
        load_word2vec_format(str(path))


def test_invalid_utf8_is_read_when_asked(tmp_path):
    path = tmp_path / "v.bin"
    path.write_bytes(b"1 2\na\xff " + ROW + b"\n")
    assert load_word2vec_format(path, unicode_errors="replace").words == ["a\ufffd"]
    assert load_word2vec_format(path, unicode_errors="ignore").words == ["a"]


@pytest.mark.parametrize("binary", [False, True])
def test_repeated_word_in_file_raises(tmp_path, binary):
    path = tmp_path / ("v.bin" if binary else "v.txt")
    if binary:
        path.write_bytes(b"3 2\na " + ROW + b"\nb " + ROW + b"\na " + ROW + b"\n")
        place = "byte 26 repeats 'a' from byte 4"
    else:
        path.write_text("3 2\na 1 2\nb 1 2\na 3 4\n")
        place = "line 4 repeats 'a' from line 2"
    with pytest.raises(
        ValueError,
        match=r"a word appears more than once; repeated words: \['a'\] \(" + place,
    ):
        load_word2vec_format(str(path))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"2 2\na 1 2\nb 3 nan\n", "line 3: expected finite values; value 2 of 'b'"),
        (b"a inf 2\n", "line 1: expected finite values; value 1 of 'a' is inf"),
        (b"a 1 -1e39\n", "line 1: expected finite values; value 2 of 'a' is -inf"),
        (
            b"2 2\na " + ROW + b"\nb " + np.float32([1, np.nan]).tobytes(),
            "byte 15: expected finite values; value 2 of 'b' is nan",
        ),
    ],
)
def test_non_finite_values_are_refused_by_default(tmp_path, content, expected):
    path = tmp_path / "v"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=expected + ".*allow_non_finite=True"):
        load_word2vec_format(str(path))
    assert len(load_word2vec_format(str(path), allow_non_finite=True)) > 0

"""Bad input to Vocabulary: each error and its message."""

import re

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import Tokenizer, Vocabulary


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: Vocabulary(["a", 1]),
            TypeError,
            r"Vocabulary tokens must be strings; received 1 of type int",
        ),
        (
            lambda: Vocabulary("abc"),
            TypeError,
            r"`words` must be a list of strings, not a single str",
        ),
        (
            lambda: Vocabulary(["a", "b"], counts=[1]),
            ValueError,
            r"`counts` must have one entry per word",
        ),
        (
            lambda: Vocabulary.build(tf.data.Dataset.from_tensor_slices([1, 2])),
            TypeError,
            r"corpus must yield string tensors.*dtype=tf.int32",
        ),
        (
            lambda: Vocabulary.build(tf.data.Dataset.from_tensors([["a", "b"]])),
            TypeError,
            r"must yield scalar or 1-D string tensors.*shape=\(1, 2\)",
        ),
        (
            lambda: Vocabulary.build(["a b", 5]),
            TypeError,
            r"`corpus` elements must be strings.*received 5",
        ),
        (
            lambda: Vocabulary.build([["a", "b"], ("c", 3)]),
            TypeError,
            r"`corpus` token lists must hold strings.*corpus\[1\]\[1\]",
        ),
        (
            lambda: Vocabulary(["a", "b"]).encode([["a", None, b"b"]]),
            TypeError,
            r"`corpus` token lists must hold strings.*corpus\[0\]\[1\]",
        ),
        (
            lambda: Vocabulary.build(["a b"], min_count=1.0),
            TypeError,
            r"`min_count` must be an integer.*1.0",
        ),
        (
            lambda: Vocabulary.build(["a b"], max_size="10"),
            TypeError,
            r"`max_size` must be an integer.*'10'",
        ),
        (
            lambda: Vocabulary(["a"], tokenizer="words"),
            TypeError,
            r"`tokenizer` must be a `keras_seqlayers.text.Tokenizer`.*'words'",
        ),
        (
            lambda: Vocabulary.build(["a b"], tokenizer=str.split),
            TypeError,
            r"`tokenizer` must be a `keras_seqlayers.text.Tokenizer`.*split",
        ),
        (
            lambda: Vocabulary.from_counts({"<PAD>": 3, "<EOS>": 1}),
            ValueError,
            r"corpus is empty: `counts` holds no token besides the reserved",
        ),
    ],
)
def test_bad_input_raises(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (
            "<PAD> 0\n<UNK> 0\n<EOS> 0\ncat\n",
            r"v.txt:4: expected `token count`; got 'cat\\n'",
        ),
        ("<PAD> 0\n<UNK> 0\n<EOS> 0\ncat x\n", r"v.txt:4: expected `token count`"),
        (
            '#tokenizer {"lowercase": false, "split": "words"}\n<PAD> 0\ncat\n',
            r"v.txt:3: expected `token count`; got 'cat\\n'",
        ),
        (
            "#tokenizer lowercase=False\n<PAD> 0\n<UNK> 0\n<EOS> 0\n",
            r"v.txt:1: expected `#tokenizer ` and a JSON object",
        ),
        (
            '#tokenizer {"split": "chars"}\n<PAD> 0\n<UNK> 0\n<EOS> 0\n',
            r"v.txt:1: expected .*`split` must be one of.*'chars'",
        ),
        (
            '#tokenizer ["words"]\n<PAD> 0\n<UNK> 0\n<EOS> 0\n',
            r"v.txt:1: expected .*\(`config` must be a dict",
        ),
        (
            "<PAD> 0\n<UNK> 0\n<EOS> 0\ncat \u00b2\n",
            r"v.txt:4: expected `token count`; got 'cat \u00b2\\n'",
        ),
        (
            "<UNK> 0\n<PAD> 0\n<EOS> 0\ncat 2\n",
            r"v.txt: the first tokens must be \('<PAD>', '<UNK>', '<EOS>'\)",
        ),
    ],
)
def test_bad_vocabulary_file(tmp_path, content, match):
    path = tmp_path / "v.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        Vocabulary.load(str(path))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"min_count": 1.0}, TypeError, r"`min_count` must be an integer.*1.0"),
        ({"min_count": 0}, ValueError, r"`min_count` must be an integer >= 1"),
        ({"max_size": "9"}, TypeError, r"`max_size` must be an integer"),
        ({"max_size": 3}, ValueError, r"`max_size` must be an integer >= 4"),
    ],
)
def test_build_checks_sizes_before_reading_the_corpus(kwargs, error, match):
    read = []

    def corpus():
        for document in ["a b", "a c"]:
            read.append(document)
            yield document

    documents = corpus()
    with pytest.raises(error, match=match):
        Vocabulary.build(documents, **kwargs)
    assert read == []
    # The generator is untouched, so a corrected call can still use it.
    assert Vocabulary.build(documents).words[3:] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("counts", "error", "match"),
    [
        (
            {"a": 3, "b": 2.7},
            TypeError,
            r"`counts` must map words to integer counts.*counts\['b'\]=2.7",
        ),
        (
            {"a": 3, "b": 2.0},
            TypeError,
            r"received counts\['b'\]=2.0 of type float",
        ),
        ({"a": True}, TypeError, r"received counts\['a'\]=True of type bool"),
        (
            {"a": np.float32(4)},
            TypeError,
            r"received counts\['a'\]=.*4.* of type float32",
        ),
        (
            {"a": 3, "b": -1},
            ValueError,
            r"`counts` must map words to counts >= 0.*counts\['b'\]=-1",
        ),
        (
            [("a", 3)],
            TypeError,
            r"`counts` must be a mapping of word to count; received list",
        ),
    ],
)
def test_from_counts_rejects_bad_counts(counts, error, match):
    with pytest.raises(error, match=match):
        Vocabulary.from_counts(counts)


def test_from_counts_takes_numpy_and_zero_counts():
    vocab = Vocabulary.from_counts({"a": np.int64(5), "b": np.int32(7), "c": 0})
    assert vocab.words[3:] == ["b", "a"]  # 0 < min_count=1: left out
    assert vocab.counts[3:].tolist() == [7, 5]
    # Reserved tokens and their counts are ignored, whatever they are.
    assert Vocabulary.from_counts({"<PAD>": 2.5, "a": 1}).words[3:] == ["a"]


@pytest.mark.parametrize("token_id", [3.9, 3.0, np.float64(3), True, "3", None])
def test_id_to_token_rejects_non_integers(token_id):
    vocab = Vocabulary(["a", "b", "c"])
    with pytest.raises(
        TypeError,
        match=rf"`token_id` must be an integer.*token_id={re.escape(repr(token_id))}",
    ):
        vocab.id_to_token(token_id)
    with pytest.raises(TypeError, match=r"`token_id` must be an integer"):
        vocab.decode([3, token_id])


def test_id_to_token_takes_python_and_numpy_integers():
    vocab = Vocabulary(["a", "b", "c"])
    assert vocab.id_to_token(3) == "a"
    assert vocab.id_to_token(np.int32(4)) == "b"
    assert vocab.decode(np.array([5, 1])) == ["c", "<UNK>"]
    assert vocab.decode(tf.constant([3, 2], tf.int64)) == ["a", "<EOS>"]
    with pytest.raises(IndexError, match=r"Token id -1 is outside"):
        vocab.id_to_token(-1)
    with pytest.raises(IndexError, match=r"Token id 6 is outside"):
        vocab.id_to_token(np.int64(6))


def test_load_rejects_a_tokenizer_that_differs_from_the_file(tmp_path):
    path = tmp_path / "v.txt"
    Vocabulary(["Cat"], tokenizer=Tokenizer(lowercase=False)).save(path)
    with pytest.raises(
        ValueError,
        match=r"saved with Tokenizer\(lowercase=False.*"
        r"tokenizer=Tokenizer\(lowercase=True",
    ):
        Vocabulary.load(str(path), tokenizer=Tokenizer())
    with pytest.raises(TypeError, match=r"`tokenizer` must be .*received tokenizer=1"):
        Vocabulary.load(str(path), tokenizer=1)


@pytest.mark.parametrize("dtype", [tf.uint8, tf.int8, tf.int64])
def test_reverse_lookup_takes_any_integer_dtype(dtype):
    words = [f"w{i}" for i in range(300)]
    vocabulary = Vocabulary(words)
    ids = tf.constant([3, 100], dtype)
    assert vocabulary.reverse_lookup(ids).numpy().tolist() == [b"w0", b"w97"]


def test_reverse_lookup_refuses_float_ids():
    with pytest.raises(TypeError, match=r"`ids` must be integers.*float32"):
        Vocabulary(["a"]).reverse_lookup(tf.constant([3.0]))

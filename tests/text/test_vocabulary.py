import collections
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import Tokenizer, Vocabulary

DOCS = ["the cat sat on the mat", "the dog sat", "a cat and a dog", "zebra"]


def _reference(docs, min_count, max_size=None):
    counter = collections.Counter(t for d in docs for t in d.split())
    # Stable sort by descending count: ties in first-appearance order.
    items = sorted(counter.items(), key=lambda wc: -wc[1])
    items = [(w, c) for w, c in items if c >= min_count]
    if max_size is not None:
        items = items[: max_size - 3]
    return items


@pytest.mark.parametrize(("min_count", "max_size"), [(1, None), (2, None), (1, 6)])
def test_build_matches_counter(min_count, max_size):
    vocab = Vocabulary.build(DOCS, min_count=min_count, max_size=max_size)
    ref = _reference(DOCS, min_count, max_size)
    assert vocab.words == ["<PAD>", "<UNK>", "<EOS>"] + [w for w, _ in ref]
    assert vocab.counts.tolist() == [0, 0, 0] + [c for _, c in ref]
    assert vocab.pad_id == 0
    assert vocab.unk_id == 1
    assert vocab.eos_id == 2


def test_build_from_token_lists_and_datasets():
    token_lists = [d.split() for d in DOCS]
    a = Vocabulary.build(DOCS)
    b = Vocabulary.build(token_lists)
    c = Vocabulary.build(tf.data.Dataset.from_tensor_slices(DOCS))
    d = Vocabulary.build(
        tf.data.Dataset.from_generator(
            lambda: iter(token_lists), output_signature=tf.TensorSpec([None], tf.string)
        )
    )
    for other in (b, c, d):
        assert other.words == a.words
        np.testing.assert_array_equal(other.counts, a.counts)


def test_encode_decode_and_unknown():
    vocab = Vocabulary.build(DOCS, min_count=2)
    ids = vocab.encode(["the zebra cat"], add_eos=True)[0]
    assert ids == [vocab.token_to_id("the"), 1, vocab.token_to_id("cat"), 2]
    assert vocab.decode(ids) == ["the", "<UNK>", "cat", "<EOS>"]
    with pytest.raises(IndexError, match="outside the vocabulary"):
        vocab.id_to_token(len(vocab))


def test_save_load_round_trip(tmp_path):
    vocab = Vocabulary.build(DOCS)
    path = tmp_path / "vocab.txt"
    vocab.save(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:5] == [
        '#tokenizer {"lowercase": true, "split": "whitespace"}',
        "<PAD> 0",
        "<UNK> 0",
        "<EOS> 0",
        "the 3",
    ]
    again = Vocabulary.load(path)
    assert again.words == vocab.words
    np.testing.assert_array_equal(again.counts, vocab.counts)


def test_save_load_keeps_the_tokenizer(tmp_path):
    tokenizer = Tokenizer(lowercase=False, split="words")
    vocab = Vocabulary.build(["Don't STOP"], tokenizer=tokenizer)
    path = tmp_path / "vocab.txt"
    vocab.save(path)
    again = Vocabulary.load(path)
    assert again.tokenizer.get_config() == {"lowercase": False, "split": "words"}
    # "STOP" stays upper-case and "don" is a word of its own, as before saving.
    assert vocab.encode(["STOP don"]) == [[vocab.token_to_id("STOP"), 1]]
    assert again.encode(["STOP don"]) == vocab.encode(["STOP don"])
    # The same tokenizer may be passed explicitly.
    same = Vocabulary.load(path, tokenizer=Tokenizer(lowercase=False, split="words"))
    assert same.encode(["STOP don"]) == vocab.encode(["STOP don"])


def test_load_file_without_tokenizer_header(tmp_path):
    # Files written before the header existed load with the given tokenizer,
    # by default Tokenizer().
    path = tmp_path / "old.txt"
    path.write_text("<PAD> 0\n<UNK> 0\n<EOS> 0\nCat 2\ncat 1\n", encoding="utf-8")
    vocab = Vocabulary.load(path)
    assert vocab.words == ["<PAD>", "<UNK>", "<EOS>", "Cat", "cat"]
    assert vocab.tokenizer.get_config() == Tokenizer().get_config()
    assert vocab.encode(["Cat"]) == [[4]]
    cased = Vocabulary.load(path, tokenizer=Tokenizer(lowercase=False))
    assert cased.encode(["Cat"]) == [[3]]


def test_a_word_that_looks_like_the_header_is_a_word(tmp_path):
    vocab = Vocabulary(["#tokenizer", "{}"], [2, 1])
    path = tmp_path / "vocab.txt"
    vocab.save(path)
    again = Vocabulary.load(path)
    assert again.words == vocab.words
    np.testing.assert_array_equal(again.counts, vocab.counts)


def test_in_graph_lookup_and_reverse():
    vocab = Vocabulary.build(DOCS)
    tokens = tf.constant(["cat", "nope", "<PAD>", "<EOS>"])
    expected = [vocab.token_to_id(t) for t in ["cat", "nope", "<PAD>", "<EOS>"]]
    assert vocab.lookup(tokens).numpy().tolist() == expected
    assert tf.function(vocab.lookup)(tokens).numpy().tolist() == expected
    ragged = Tokenizer()(["cat nope"])
    assert vocab.lookup(ragged).to_list() == [expected[:2]]
    back = vocab.reverse_lookup(tf.constant(expected)).numpy().tolist()
    assert back == [b"cat", b"<UNK>", b"<PAD>", b"<EOS>"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside"):
        vocab.reverse_lookup(tf.constant([len(vocab)]))


def test_lookup_layer_matches_vocabulary_ids():
    vocab = Vocabulary.build(DOCS)
    layer = vocab.lookup_layer()
    words = [*vocab.words, "never-seen"]
    ids = layer(tf.constant(words)).numpy().tolist()
    assert ids == [vocab.token_to_id(w) for w in words]
    inverse = vocab.lookup_layer(invert=True)
    assert [x.decode() for x in inverse(tf.constant(ids[:-1])).numpy()] == vocab.words


_SERVE = textwrap.dedent(
    """
    import sys
    sys.modules["keras_seqlayers"] = None
    import tensorflow as tf
    words = tf.constant(["cat", "nope", "the"])
    print(tf.saved_model.load(sys.argv[1]).serve(words).numpy().tolist())
    print(tf.saved_model.load(sys.argv[2]).ids_of(words).numpy().tolist())
    """
)


def test_exported_lookup_runs_without_package(tmp_path):
    vocab = Vocabulary.build(DOCS)
    inputs = keras.Input(shape=(), dtype="string")
    model = keras.Model(inputs, vocab.lookup_layer()(inputs))
    model.export(str(tmp_path / "m"), verbose=False)
    # The raw table inside a tf.Module exports too.
    module = tf.Module()
    module.table = vocab.table
    module.ids_of = tf.function(
        lambda x: module.table.lookup(x),
        input_signature=[tf.TensorSpec([None], tf.string)],
    )
    tf.saved_model.save(module, str(tmp_path / "m2"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", _SERVE, str(tmp_path / "m"), str(tmp_path / "m2")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr[-3000:]
    expected = [vocab.token_to_id(w) for w in ["cat", "nope", "the"]]
    assert out.stdout.split("\n")[:2] == [str(expected), str(expected)]


def test_numpy_integer_sizes():
    expected = Vocabulary.build(DOCS, min_count=2, max_size=5)
    vocab = Vocabulary.build(DOCS, min_count=np.int64(2), max_size=np.int32(5))
    assert vocab.words == expected.words
    counts = {"cat": 3, "dog": 1}
    vocab = Vocabulary.from_counts(counts, min_count=np.int16(2))
    assert vocab.words == Vocabulary.from_counts(counts, min_count=2).words
    with pytest.raises(TypeError, match="`min_count` must be an integer"):
        Vocabulary.build(DOCS, min_count=2.0)
    with pytest.raises(TypeError, match="`max_size` must be an integer >= 4 or None"):
        Vocabulary.build(DOCS, max_size=np.float64(5))
    with pytest.raises(TypeError, match="`min_count` must be an integer"):
        Vocabulary.build(DOCS, min_count=np.True_)


def test_bad_inputs():
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocabulary.build([])
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocabulary.build(["", "  "])
    with pytest.raises(ValueError, match="`min_count` must be an integer >= 1"):
        Vocabulary.build(DOCS, min_count=0)
    with pytest.raises(ValueError, match="No word reaches `min_count`=99"):
        Vocabulary.build(DOCS, min_count=99)
    with pytest.raises(ValueError, match="`max_size` must be an integer >= 4"):
        Vocabulary.build(DOCS, max_size=3)
    # A str corpus is a path, never text: one that names no file says so.
    with pytest.raises(FileNotFoundError, match="No corpus file at 'the cat'"):
        Vocabulary.build("the cat")
    with pytest.raises(TypeError, match="single bytes object"):
        Vocabulary.build(b"the cat")
    with pytest.raises(ValueError, match="reserved token"):
        Vocabulary(["<UNK>"])
    with pytest.raises(ValueError, match="duplicates"):
        Vocabulary(["a", "a"])
    with pytest.raises(ValueError, match="no whitespace"):
        Vocabulary(["a b"])
    with pytest.raises(ValueError, match="non-negative integers"):
        Vocabulary(["a"], [-1])


def test_reverse_lookup_takes_ragged_ids():
    vocab = Vocabulary.build(DOCS)
    ids = tf.ragged.constant([[3], [4, 5], []], dtype=tf.int64)
    expected = [[vocab.id_to_token(int(i)).encode() for i in row] for row in ids]
    for reverse in (vocab.reverse_lookup, tf.function(vocab.reverse_lookup)):
        back = reverse(ids)
        assert isinstance(back, tf.RaggedTensor)
        assert back.to_list() == expected
    # Round trip from tokens, and int32 ids too.
    tokens = Tokenizer()(["the cat", "nope"])
    assert vocab.reverse_lookup(vocab.lookup(tokens)).to_list() == [
        [b"the", b"cat"],
        [b"<UNK>"],
    ]
    int32_ids = tf.ragged.constant([[3], [4, 5]])
    assert vocab.reverse_lookup(int32_ids).to_list() == expected[:2]
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside"):
        vocab.reverse_lookup(tf.ragged.constant([[3], [len(vocab)]]))

import pytest
import tensorflow as tf

from keras_seqlayers.text import Tokenizer, tokenize


def test_whitespace_and_lowercase():
    out = tokenize(["Hello  World. Foo", "ÄB c"]).to_list()
    assert out == [[b"hello", b"world.", b"foo"], ["äb".encode(), b"c"]]


def test_no_lowercase_keeps_case():
    assert tokenize(["Hello"], lowercase=False).to_list() == [[b"Hello"]]


def test_unicode_script_splits_punctuation():
    out = tokenize(["world. don't"], split="unicode_script").to_list()
    assert out == [[b"world", b".", b"don", b"'", b"t"]]


def test_words_mode_drops_punctuation_only_tokens():
    tok = Tokenizer(split="words")
    assert tok.tokenize_to_lists(["The cat, the HAT. 42!"]) == [
        ["the", "cat", "the", "hat", "42"]
    ]


def test_scalar_input_and_tf_data():
    tok = Tokenizer()
    assert tok("a b").numpy().tolist() == [b"a", b"b"]
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c"]).map(tok)
    assert [x.tolist() for x in ds.as_numpy_iterator()] == [[b"a", b"b"], [b"c"]]


def test_inside_tf_function():
    tok = Tokenizer(split="words")
    f = tf.function(lambda x: tok(x).flat_values)
    assert f(tf.constant(["X, y"])).numpy().tolist() == [b"x", b"y"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="`split` must be one of"):
        Tokenizer(split="chars")
    with pytest.raises(TypeError, match="`lowercase` must be True or False"):
        Tokenizer(lowercase="yes")
    with pytest.raises(TypeError, match="must contain strings"):
        Tokenizer().tokenize_to_lists([1])


def test_config_round_trip():
    tokenizer = Tokenizer(lowercase=False, split="unicode_script")
    again = Tokenizer.from_config(tokenizer.get_config())
    assert again.get_config() == {"lowercase": False, "split": "unicode_script"}
    assert again("Hi, YOU").numpy().tolist() == [b"Hi", b",", b"YOU"]
    assert Tokenizer.from_config({}).get_config() == Tokenizer().get_config()


def test_from_config_bad_config():
    with pytest.raises(
        TypeError, match=r"`config` must be a dict .*config='words' of type str"
    ):
        Tokenizer.from_config("words")
    with pytest.raises(
        ValueError, match=r"`config` may only hold .*with the unknown keys \['case'\]"
    ):
        Tokenizer.from_config({"case": True})
    with pytest.raises(ValueError, match="`split` must be one of"):
        Tokenizer.from_config({"split": "chars"})

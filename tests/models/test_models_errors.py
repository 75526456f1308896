"""Bad arguments and inputs of the models (construction and data helpers only)."""

import json

import numpy as np
import pytest

import keras_seqlayers as ksl
from keras_seqlayers.models.token_classifier import pretrained_matrix
from keras_seqlayers.text.vocabulary import RESERVED

VOCAB = [*RESERVED, "a", "b"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"lowercase": 1},
            TypeError,
            r"`lowercase` must be True or False",
        ),
        (
            {"dropout": "0.5"},
            TypeError,
            r"`dropout` must be a float in \[0, 1\)",
        ),
        ({"level": "byte"}, ValueError, r"`level` must be one of"),
    ],
)
@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: ksl.models.LanguageModel(VOCAB, **kw),
        lambda **kw: ksl.models.Seq2Seq(VOCAB, VOCAB, **kw),
    ],
    ids=["LanguageModel", "Seq2Seq"],
)
def test_bad_constructor_argument_types(make, kwargs, error, match):
    with pytest.raises(error, match=match):
        make(**kwargs)


@pytest.mark.parametrize("argument", ["source_vocabulary", "target_vocabulary"])
def test_seq2seq_errors_name_the_vocabulary_at_fault(argument):
    kwargs = {"source_vocabulary": VOCAB, "target_vocabulary": VOCAB}
    with pytest.raises(ValueError, match=rf"`{argument}` must start with"):
        ksl.models.Seq2Seq(**{**kwargs, argument: ["a", "b"]})
    with pytest.raises(TypeError, match=rf"`{argument}` must be a"):
        ksl.models.Seq2Seq(**{**kwargs, argument: "ab"})


def test_from_texts_and_from_pairs_check_level():
    with pytest.raises(ValueError, match=r"`level` must be one of"):
        ksl.models.LanguageModel.from_texts(["ab"], level="byte")
    with pytest.raises(ValueError, match=r"`level` must be one of"):
        ksl.models.Seq2Seq.from_pairs([("ab", "ba")], level="byte")


@pytest.mark.parametrize(
    ("units", "error"), [(0, ValueError), ("8", TypeError), (True, TypeError)]
)
def test_recurrent_classifier_units_checked_by_its_layer(units, error):
    for bidirectional in (True, False):
        with pytest.raises(error, match=r"`units` must be an integer >= 1"):
            ksl.models.RecurrentClassifier(
                10, 4, 2, units=units, bidirectional=bidirectional
            )


@pytest.mark.parametrize("token", ["", 5, None])
def test_vocabulary_tokens_must_be_non_empty_strings(token):
    with pytest.raises(ValueError, match=r"`vocabulary` tokens must be non-empty"):
        ksl.models.LanguageModel([*VOCAB, token])


def test_language_model_bad_texts():
    model = ksl.models.LanguageModel(VOCAB, embedding_dim=2, units=2)
    with pytest.raises(TypeError, match=r"`texts` must be strings"):
        model.encode(["a", b"ab"])
    with pytest.raises(ValueError, match=r"`texts` must hold at least one text"):
        model.training_data([])
    with pytest.raises(ValueError, match=r"`texts` must hold at least one text"):
        model.perplexity([])


def test_seq2seq_empty_inputs():
    model = ksl.models.Seq2Seq(VOCAB, VOCAB, embedding_dim=2, units=2)
    with pytest.raises(ValueError, match=r"`texts` must hold at least one text"):
        model.encode_sources([])
    match = r"`pairs` must hold at least one"
    with pytest.raises(ValueError, match=match):
        model.training_data([])
    with pytest.raises(ValueError, match=match):
        model.exact_match([])


@pytest.mark.parametrize("learning_rate", ["0.05", True, None])
def test_glove_learning_rate_type(learning_rate):
    with pytest.raises(TypeError, match=r"`learning_rate` must be a finite number"):
        ksl.models.GloVe(10, 4, learning_rate=learning_rate)


def test_pretrained_matrix_vocabulary_with_array():
    vocabulary = ksl.text.Vocabulary(["a", "b"])
    with pytest.raises(ValueError, match=r"`vocabulary` applies only to a WordVectors"):
        pretrained_matrix(np.zeros((5, 2)), vocabulary)


def test_word2vec_fit_on_corpus_rejects_y():
    model = ksl.models.Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(ValueError, match=r"`y` must be None when fitting on a corpus"):
        model.fit([["a", "b"]], y=[1])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"words_per_step": "100"}, TypeError, r"received words_per_step='100'"),
        ({"words_per_step": 0}, ValueError, r"received words_per_step=0"),
        ({"words_per_step": float("inf")}, ValueError, r"received words_per_step=inf"),
        ({"every": 2.5}, TypeError, r"`every` must be an integer >= 0"),
        ({"every": -1}, ValueError, r"`every` must be an integer >= 0"),
    ],
)
def test_words_per_second_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        ksl.models.WordsPerSecond(**{"words_per_step": 100, **kwargs})


def test_words_per_second_takes_numpy_numbers():
    callback = ksl.models.WordsPerSecond(np.float32(2.5), every=np.int64(3))
    assert (callback.words_per_step, callback.every) == (2.5, 3)
    assert (type(callback.words_per_step), type(callback.every)) == (float, int)


def test_numpy_numbers_are_stored_as_python_numbers():
    """NumPy arguments are accepted and leave configs that JSON can encode."""
    i, f = np.int64, np.float32
    models = [
        ksl.models.GloVe(i(6), i(4), x_max=f(50), alpha=f(0.5), learning_rate=f(0.1)),
        ksl.models.LanguageModel(
            VOCAB,
            units=[i(4)],
            embedding_dim=i(3),
            dropout=f(0.25),
            clipnorm=f(2),
            lowercase=np.True_,
        ),
        ksl.models.Seq2Seq(
            VOCAB, VOCAB, units=i(2), embedding_dim=i(2), max_output_length=i(5)
        ),
    ]
    layers = [
        ksl.models.LuongAttention(i(4)),
        ksl.models.Perplexity(from_logits=np.True_),
    ]
    for obj in models + layers:
        config = obj.get_config()
        assert json.loads(json.dumps(config)) == config
    assert ksl.models.LanguageModel(VOCAB, embedding_dim=i(3)).embedding_dim == 3


@pytest.mark.parametrize(
    "cls", [ksl.models.AveragedEmbeddingClassifier, ksl.models.RecurrentClassifier]
)
def test_classifiers_take_vocab_size_and_its_deprecated_name(cls):
    model = cls(vocab_size=9, embedding_dim=4, num_classes=2)
    config = model.get_config()
    assert config["vocab_size"] == 9
    assert "vocabulary_size" not in config
    with pytest.warns(DeprecationWarning, match="`vocabulary_size` is deprecated"):
        old = cls(vocabulary_size=9, embedding_dim=4, num_classes=2)
    assert old.vocab_size == 9
    saved = dict(config)
    saved["vocabulary_size"] = saved.pop("vocab_size")
    with pytest.warns(DeprecationWarning, match="`vocabulary_size` is deprecated"):
        assert cls.from_config(saved).vocab_size == 9
    with pytest.raises(TypeError, match="Pass `vocab_size` only"):
        cls(9, 4, 2, vocabulary_size=9)

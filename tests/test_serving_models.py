"""Every model class of `ksl.models` exports and serves (text in where it reads text).

`SERVED` has one case per `keras.Model` subclass in `ksl.models.__all__`;
`test_every_model_class_has_a_serving_case` fails when a model class is
added without one. Each case exports with `ksl.serving.export`, checks with
`ksl.serving.check` (a process without keras_seqlayers or Keras, as TF
Serving) and compares the served answer with the eager model.
"""

import keras
import numpy as np
import pytest

import keras_seqlayers as ksl
from keras_seqlayers import serving

TEXTS = ["the cat sat on the mat", "the dog sat on the log", "a cat saw a dog"]
ATOL = 1e-5


def _np(x):
    return keras.ops.convert_to_numpy(x)


def _pad(rows, length=None, left=False):
    length = length or max(len(r) for r in rows)
    out = np.zeros((len(rows), length), "int32")
    for i, row in enumerate(rows):
        row = list(row)[-length:] if left else list(row)[:length]
        if left:
            out[i, length - len(row) :] = row
        else:
            out[i, : len(row)] = row
    return out


def _serve(path, texts):
    return serving.check(path, request={"instances": texts}).response["predictions"]


def language_model_char(tmp_path):
    model = ksl.models.LanguageModel.from_texts(TEXTS, level="char", units=6)
    encoder = serving.TextEncoder(model.vocabulary, level="char", prefix_ids=[2])
    serving.export(model, tmp_path, text_encoder=encoder)
    texts = ["the cat", "a dog?"]  # "?" is not in the vocabulary: <UNK>
    rows = _serve(tmp_path, texts)
    expected = _np(model(_pad([[2, *ids] for ids in model.encode(texts)])))
    for row, want in zip(rows, expected, strict=True):
        np.testing.assert_allclose(row, want, atol=ATOL)


def language_model_word(tmp_path):
    model = ksl.models.LanguageModel.from_texts(
        TEXTS, level="word", units=[5, 4], cell="lstm", split="words"
    )
    encoder = serving.TextEncoder(
        model.vocabulary, level="word", split="words", prefix_ids=[2]
    )
    serving.export(model, tmp_path, text_encoder=encoder)
    texts = ["the cat sat", "a zebra"]
    rows = _serve(tmp_path, texts)
    expected = _np(model(_pad([[2, *ids] for ids in model.encode(texts)])))
    for row, want in zip(rows, expected, strict=True):
        np.testing.assert_allclose(row, want, atol=ATOL)


def seq2seq(tmp_path):
    pairs = [("ab", "ba"), ("abc", "cba"), ("ca", "ac")]
    model = ksl.models.Seq2Seq.from_pairs(pairs, units=6, max_output_length=5)
    encoder = serving.TextEncoder(model.source_vocabulary, level="char")
    decoder = serving.TextDecoder(model.target_vocabulary, level="char")
    info = serving.export(
        model,
        tmp_path,
        text_encoder=encoder,
        endpoint=model.generate,
        input_signature=[keras.InputSpec(shape=(None, None), dtype="int32")],
        input_names=["source"],
        text_decoder=decoder,
        text_output_name="translation",
    )
    assert info.output_names == ["token_ids", "translation"]
    texts = ["abc", "ca"]
    rows = _serve(tmp_path, texts)
    assert [r["translation"] for r in rows] == model.translate(texts)
    expected = _np(model.generate(model.encode_sources(texts)))
    assert [r["token_ids"] for r in rows] == expected.tolist()


def word2vec(tmp_path):
    model = ksl.models.Word2Vec.from_corpus(TEXTS, min_count=1, embedding_dim=4, seed=0)
    model.fit(TEXTS, epochs=1, batch_size=16, verbose=0, seed=0)
    # The training model (pairs in, per-pair loss out) exports as it is ...
    spec = keras.InputSpec(shape=(None,), dtype="int32")
    serving.export(
        model,
        tmp_path / "pairs",
        input_signature=[spec, spec],
        input_names=["center", "context"],
        output_names=["loss"],
    )
    center, context = np.array([3, 4, 5], "int32"), np.array([4, 5, 3], "int32")
    report = serving.check(
        tmp_path / "pairs", inputs={"center": center, "context": context}
    )
    np.testing.assert_allclose(
        report.results["loss"], _np(model((center, context))), atol=ATOL
    )
    # ... and its vectors serve as a text-in embedding lookup.
    lookup, vocab = serving.embedding_model(model.vectors, model.vocabulary)
    serving.export(lookup, tmp_path / "vectors", vocabulary=vocab)
    rows = _serve(tmp_path / "vectors", ["cat dog", "the"])
    np.testing.assert_allclose(rows[0][0], model.vectors["cat"], atol=1e-6)
    np.testing.assert_allclose(rows[0][1], model.vectors["dog"], atol=1e-6)
    np.testing.assert_allclose(rows[1][0], model.vectors["the"], atol=1e-6)
    assert rows[1][1] == [0.0] * 4  # padding


def glove(tmp_path):
    vocab = ksl.text.Vocabulary.build(TEXTS)
    model = ksl.models.GloVe(vocab_size=len(vocab), embedding_dim=3)
    counts = ksl.text.cooccurrence(
        vocab.encode(TEXTS), vocab_size=len(vocab), verbose=0
    )
    model.fit(counts, epochs=1, batch_size=8, verbose=0)
    spec = keras.InputSpec(shape=(None,), dtype="int32")
    info = serving.export(model, tmp_path / "pairs", input_signature=[spec, spec])
    i, j = np.array([3, 4], "int32"), np.array([5, 3], "int32")
    report = serving.check(
        tmp_path / "pairs", inputs=dict(zip(info.input_names, [i, j], strict=True))
    )
    (served,) = report.results.values()
    np.testing.assert_allclose(served, _np(model((i, j))), atol=ATOL)
    vectors = ksl.embeddings.WordVectors(vocab.words, model.glove.vectors())
    lookup, _ = serving.embedding_model(vectors, vocab)
    serving.export(lookup, tmp_path / "vectors", vocabulary=vocab)
    rows = _serve(tmp_path / "vectors", ["mat"])
    np.testing.assert_allclose(rows[0][0], vectors["mat"], atol=1e-6)


def neural_language_model(tmp_path):
    vocab = ksl.text.Vocabulary.build(TEXTS)
    model = ksl.models.NeuralLanguageModel(
        len(vocab), context_size=3, embedding_dim=4, hidden_units=5
    )
    model(np.zeros((1, 3), "int32"))
    serving.export(
        model,
        tmp_path,
        vocabulary=vocab,
        max_length=3,
        text_window="last",  # the words right before the one to predict
        input_signature=[keras.InputSpec(shape=(None, 3), dtype="int32")],
        output_names=["probabilities"],
    )
    texts = ["the cat sat on the", "a"]
    rows = _serve(tmp_path, texts)
    expected = _np(model(_pad(vocab.encode(texts), 3, left=True)))
    np.testing.assert_allclose(rows, expected, atol=ATOL)


def _text_classifier(tmp_path, model_class, **kwargs):
    vocab = ksl.text.Vocabulary.build(TEXTS)
    model = model_class(len(vocab), 4, num_classes=3, **kwargs)
    model(np.zeros((1, 2), "int32"))
    serving.export(
        model,
        tmp_path,
        vocabulary=vocab,
        input_signature=[keras.InputSpec(shape=(None, None), dtype="int32")],
        output_names=["scores"],
    )
    texts = ["the cat sat on the mat", "a dog", "unknown words here"]
    rows = _serve(tmp_path, texts)
    expected = _np(model(_pad(vocab.encode(texts))))
    np.testing.assert_allclose(rows, expected, atol=ATOL)


def averaged_embedding_classifier(tmp_path):
    _text_classifier(tmp_path, ksl.models.AveragedEmbeddingClassifier)


def recurrent_classifier(tmp_path):
    _text_classifier(tmp_path, ksl.models.RecurrentClassifier, units=5)


SERVED = {
    "AveragedEmbeddingClassifier": [averaged_embedding_classifier],
    "RecurrentClassifier": [recurrent_classifier],
    "LanguageModel": [language_model_char, language_model_word],
    "Seq2Seq": [seq2seq],
    "Word2Vec": [word2vec],
    "GloVe": [glove],
    "NeuralLanguageModel": [neural_language_model],
}


def _model_classes():
    return sorted(
        name
        for name in ksl.models.__all__
        if isinstance(getattr(ksl.models, name), type)
        and issubclass(getattr(ksl.models, name), keras.Model)
    )


def test_every_model_class_has_a_serving_case():
    missing = sorted(set(_model_classes()) - set(SERVED))
    assert not missing, f"add serving cases for these model classes: {missing}"


CASES = [case for cases in SERVED.values() for case in cases]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_model_serves(case, tmp_path):
    case(tmp_path)

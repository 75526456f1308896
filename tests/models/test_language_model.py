import math
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.models import LanguageModel
from tests.harness import check_config_round_trip, check_export

RESERVED = ["<PAD>", "<UNK>", "<EOS>"]
PAD, UNK, EOS = 0, 1, 2


def biased_model(bias, cell="gru", units=4):
    """A model whose next-token distribution is softmax(bias) at every step."""
    vocabulary = [*RESERVED, "a", "b"]
    model = LanguageModel(vocabulary, embedding_dim=3, units=units, cell=cell)
    model.output_layer.kernel.assign(np.zeros(model.output_layer.kernel.shape))
    model.output_layer.bias.assign(np.asarray(bias, "float32"))
    return model


def test_sample_never_emits_unknown_or_padding():
    # <PAD> and <UNK> dominate the distribution; neither may be produced.
    model = biased_model([20.0, 20.0, -20.0, 0.0, 0.0])
    text = model.sample(max_length=40, seed=0)
    assert len(text) == 40
    assert set(text) == {"a", "b"}
    # Allowed, <UNK> is produced; <PAD> still never is (every one of the 40
    # steps yields a visible "<UNK>", none a dropped padding token).
    allowed = model.sample(max_length=40, seed=0, allow_unknown=True)
    assert allowed.count("<UNK>") + allowed.count("a") + allowed.count("b") == 40
    assert allowed.count("<UNK>") > 30


def test_sample_stops_at_eos():
    # p(<EOS>) = p(a) = 1/2 at every step: lengths are geometric(1/2).
    model = biased_model([-30.0, -30.0, 0.0, 0.0, -30.0])
    lengths = []
    for seed in range(40):
        text = model.sample(max_length=500, seed=seed)
        assert re.fullmatch("a*", text)
        lengths.append(len(text))
    assert max(lengths) < 500
    # Geometric(1/2) has P(length 0) = 1/2 and mean 1; loose bounds.
    assert 8 <= lengths.count(0) <= 32
    assert np.mean(lengths) < 3
    # A certain <EOS> ends the text right after the prompt.
    certain = biased_model([-30.0, -30.0, 30.0, 0.0, 0.0])
    assert certain.sample("ab", max_length=10, seed=0) == "ab"


def test_sample_reproducible_for_a_seed():
    model = biased_model([-30.0, -30.0, -30.0, 0.0, 0.0])
    first = model.sample(max_length=30, seed=7)
    assert first == model.sample(max_length=30, seed=7)
    others = {model.sample(max_length=30, seed=s) for s in range(5)}
    assert len(others) > 1


def test_unseeded_sample_follows_keras_set_random_seed():
    model = biased_model([-30.0, -30.0, -30.0, 0.0, 0.0])

    def sample(random_seed):
        keras.utils.set_random_seed(random_seed)
        return model.sample(max_length=30)

    assert sample(3) == sample(3)
    assert len({sample(s) for s in range(5)}) > 1


def test_sample_with_carried_state_equals_rereading_the_prefix():
    # Reference sampler: re-runs the whole model on the full prefix at every
    # step and draws with the same NumPy generator.
    vocabulary = [*RESERVED, *"abcdefg"]
    model = LanguageModel(vocabulary, embedding_dim=5, units=[6, 7], cell="lstm")
    model.output_layer.bias.assign(np.r_[0, 0, -2.0, np.zeros(7)].astype("float32"))
    temperature, seed = 0.7, 3
    rng = np.random.default_rng(seed)
    ids = [EOS, vocabulary.index("c"), vocabulary.index("a")]
    generated = []
    for _ in range(25):
        logits = keras.ops.convert_to_numpy(
            model(np.array([ids], "int32"))[0, -1]
        ).astype(np.float64)
        scores = logits / temperature
        scores[[PAD, UNK]] = -np.inf
        probs = np.exp(scores - scores.max())
        token = int(rng.choice(len(probs), p=probs / probs.sum()))
        if token == EOS:
            break
        generated.append(token)
        ids.append(token)
    expected = "ca" + "".join(vocabulary[t] for t in generated)
    assert model.sample("ca", max_length=25, temperature=temperature, seed=seed) == (
        expected
    )


@pytest.mark.parametrize(
    ("temperature", "error"),
    [
        (0, ValueError),
        (-1.0, ValueError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
        ("1", TypeError),
        (True, TypeError),
    ],
)
def test_sample_rejects_bad_temperature(temperature, error):
    model = biased_model([0.0] * 5)
    with pytest.raises(error, match="`temperature` must be a finite number > 0"):
        model.sample(temperature=temperature)


def test_sample_rejects_bad_arguments():
    model = biased_model([0.0] * 5)
    with pytest.raises(ValueError, match="`max_length` must be an integer >= 1"):
        model.sample(max_length=0)
    with pytest.raises(TypeError, match="`seed` must be an integer or None"):
        model.sample(seed="1")
    with pytest.raises(TypeError, match="`prompt` must be a string"):
        model.sample(prompt=3)


def test_perplexity_is_exp_mean_nll_per_token():
    vocabulary = [*RESERVED, "a", "b", "c", "\u2581"]
    model = LanguageModel(vocabulary, embedding_dim=4, units=[5, 3])
    texts = ["abc", "a", "cab ba", "abzz", ""]  # "z" is unknown
    index = {"a": 3, "b": 4, "c": 5, " ": 6}
    nll, count = 0.0, 0
    for text in texts:  # one text at a time: no padding involved
        ids = [index.get(ch, UNK) for ch in text]
        logits = keras.ops.convert_to_numpy(model(np.array([[EOS, *ids]], "int32"))[0])
        logits = logits.astype(np.float64)
        log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        targets = [*ids, EOS]
        nll -= sum(log_probs[t, y] for t, y in enumerate(targets))
        count += len(targets)
    expected = math.exp(nll / count)
    assert model.perplexity(texts, batch_size=2) == pytest.approx(expected, rel=1e-5)


def test_learns_a_tiny_deterministic_language():
    # After the first letter every next letter is determined, so the best
    # per-token perplexity is 3 ** (1/4) (one free choice among 3 in 4).
    words = ["abc", "bca", "cab"]
    model = LanguageModel.from_texts(words, embedding_dim=8, units=24)
    model.compile(optimizer=keras.optimizers.Adam(0.02, clipnorm=1.0))
    x, y = model.training_data(words * 20)
    model.fit(x, y, batch_size=12, epochs=40, verbose=0)
    assert model.perplexity(words) < 1.1 * 3 ** (1 / 4)
    samples = {model.sample(max_length=10, seed=s) for s in range(12)}
    assert samples <= set(words)
    assert model.sample("ca", seed=0, temperature=0.5) == "cab"


def test_training_data_rows():
    model = LanguageModel([*RESERVED, "a", "b"])
    x, y = model.training_data(["ab", "a"])
    np.testing.assert_array_equal(x, [[EOS, 3, 4], [EOS, 3, PAD]])
    np.testing.assert_array_equal(y, [[3, 4, EOS], [3, EOS, PAD]])
    x, y = model.training_data(["ab", "a"], sequence_length=2)
    # stream: <EOS> a b <EOS> a <EOS>
    np.testing.assert_array_equal(x, [[EOS, 3], [4, EOS], [3, PAD]])
    np.testing.assert_array_equal(y, [[3, 4], [EOS, 3], [EOS, PAD]])


def test_word_level_unknown_words_and_spacing():
    texts = ["the cat sat .", "the dog sat ."]
    model = LanguageModel.from_texts(texts, level="word", units=4)
    assert model.vocabulary[:3] == RESERVED
    assert set(model.vocabulary[3:]) == {"the", "cat", "sat", ".", "dog"}
    the, sat = model.vocabulary.index("the"), model.vocabulary.index("sat")
    assert model.encode(["the bird sat"]) == [[the, UNK, sat]]
    text = model.sample("the", max_length=5, seed=0)
    words = text.split(" ")
    assert words[0] == "the"
    assert set(words) <= set(model.vocabulary[3:])


def test_char_level_whitespace_round_trip():
    model = LanguageModel.from_texts(["a b\nc\td"])
    ids = model.encode(["a b\nc\td"])[0]
    assert UNK not in ids
    assert model.decode(ids) == "a b\nc\td"


def test_compile_clips_gradients_by_default():
    model = LanguageModel([*RESERVED, "a", "b"], units=4, clipnorm=1e-3)
    model.compile(optimizer="sgd")
    assert model.optimizer.clipnorm == pytest.approx(1e-3)
    x, y = model.training_data(["abba", "ab"])
    # The embedding is left out: its gradient is sparse (one slice per
    # looked-up token, duplicates not summed), and Keras clips the norm of
    # those slices, not of the dense gradient.
    variables = [v for v in model.trainable_variables if "embedding" not in v.path]
    before = [v.numpy() for v in variables]
    model.train_on_batch(x, y)
    changes = [
        np.linalg.norm(v.numpy() - b) for v, b in zip(variables, before, strict=True)
    ]
    # SGD(learning_rate=0.01) on gradients clipped to norm 1e-3 each (the
    # unclipped gradients are far larger); 1% covers float32 rounding of
    # weights of order 1 changed by 1e-5.
    np.testing.assert_allclose(changes, 0.01 * 1e-3, rtol=1e-2)
    default = LanguageModel([*RESERVED, "a"], units=2)
    default.compile()
    assert isinstance(default.optimizer, keras.optimizers.Adam)
    assert default.optimizer.clipnorm == 1.0


def test_config_round_trip():
    check_config_round_trip(
        LanguageModel,
        {
            "vocabulary": [*RESERVED, "a", "b"],
            "level": "char",
            "embedding_dim": 3,
            "units": [4, 5],
            "cell": "lstm",
            "dropout": 0.1,
            "clipnorm": 2.0,
        },
    )


def test_save_load_and_export(tmp_path):
    model = LanguageModel.from_texts(["abc", "cab"], units=[5, 4], cell="lstm")
    model.compile()
    x, y = model.training_data(["abc", "cab", "ab"])
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "lm.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is LanguageModel
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x))
    assert loaded.sample(seed=4) == model.sample(seed=4)
    assert loaded.optimizer.clipnorm == 1.0
    loaded.fit(x, y, epochs=1, verbose=0)  # compiled again on loading
    # Explicit integer signature: `export()` infers float inputs for
    # subclassed models (docs/architecture.md, known pitfalls).
    export_dir = str(tmp_path / "explicit")
    model.export(
        export_dir,
        input_signature=[tf.TensorSpec((None, None), tf.int32)],
        verbose=False,
    )
    served = tf.saved_model.load(export_dir)
    np.testing.assert_allclose(served.serve(x), model.predict_on_batch(x), atol=1e-5)
    # Default export, reloaded in a process that cannot import the package.
    check_export(model, [x], tmp_path, atol=1e-5)


def test_bad_constructor_arguments():
    good = [*RESERVED, "a"]
    with pytest.raises(ValueError, match="`vocabulary` must start with"):
        LanguageModel(["a", "b"])
    with pytest.raises(ValueError, match="`vocabulary` contains duplicates"):
        LanguageModel([*good, "a"])
    with pytest.raises(TypeError, match="`vocabulary` must be"):
        LanguageModel("abc")
    with pytest.raises(ValueError, match="`level` must be one of"):
        LanguageModel(good, level="byte")
    with pytest.raises(ValueError, match="`units` must be a positive integer"):
        LanguageModel(good, units=[4, 0])
    with pytest.raises(TypeError, match="`units` must be a positive integer"):
        LanguageModel(good, units=[4, 2.0])
    with pytest.raises(ValueError, match="`cell` must be one of"):
        LanguageModel(good, cell="rnn")
    with pytest.raises(ValueError, match="`dropout` must be a float in"):
        LanguageModel(good, dropout=1.0)
    with pytest.raises(ValueError, match="`clipnorm` must be a finite number > 0"):
        LanguageModel(good, clipnorm=0)
    with pytest.raises(TypeError, match="received clipnorm='1'"):
        LanguageModel(good, clipnorm="1")
    with pytest.raises(ValueError, match="`embedding_dim` must be an integer >= 1"):
        LanguageModel(good, embedding_dim=0)


def test_fit_compiles_under_xla():
    model = LanguageModel.from_texts(["abc", "cab"], units=[4, 3], cell="lstm")
    model.compile(jit_compile=True)
    x, y = model.training_data(["abc", "cab"])
    before = model.output_layer.kernel.numpy()
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.allclose(model.output_layer.kernel.numpy(), before)

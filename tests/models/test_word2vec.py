import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.datasets import load_wikipedia_sample
from keras_seqlayers.models import Word2Vec
from keras_seqlayers.text import Tokenizer, expected_skipgram_pairs


def _two_topic_corpus(n=300, seed=0):
    # Words of topic A only co-occur with A words, B with B.
    rng = np.random.default_rng(seed)
    a = [f"a{i}" for i in range(6)]
    b = [f"b{i}" for i in range(6)]
    return [list(rng.choice(a if i % 2 else b, size=8)) for i in range(n)]


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
def test_fit_on_corpus_learns_topics(loss):
    corpus = _two_topic_corpus()
    model = Word2Vec.from_corpus(
        corpus, min_count=1, embedding_dim=16, loss=loss, seed=0
    )
    history = model.fit(corpus, epochs=3, batch_size=256, sample=0, verbose=0, seed=0)
    assert len(history.history["words_per_sec"]) == 3
    assert all(r > 0 for r in history.history["words_per_sec"])
    assert history.history["loss"][-1] < history.history["loss"][0]
    wv = model.vectors
    assert wv.vectors.shape == (12, 16)
    assert set(wv.words) == {f"{t}{i}" for t in "ab" for i in range(6)}
    within = np.mean([wv.similarity("a0", f"a{i}") for i in range(1, 6)])
    across = np.mean([wv.similarity("a0", f"b{i}") for i in range(6)])
    assert within > across + 0.2


# 40 docs of 8 tokens without subsampling give about 16 steps of 64 pairs
# per epoch: steps_per_execution=5 does not divide that, so fit rounds the
# epoch to whole executions and the schedule must cover every step run.
@pytest.mark.parametrize("steps_per_execution", [32, 5])
def test_default_schedule_is_linear_decay(steps_per_execution):
    corpus = _two_topic_corpus(n=40)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(
                (
                    int(self.model.optimizer.iterations),
                    float(self.model.optimizer.learning_rate),
                )
            )

    model.fit(
        corpus,
        epochs=3,
        batch_size=64,
        sample=0,
        verbose=0,
        learning_rate=0.05,
        min_learning_rate=0.001,
        steps_per_execution=steps_per_execution,
        callbacks=[Record()],
    )
    total = int(model.optimizer.iterations)
    assert total > 3
    assert total % model.steps_per_execution == 0
    seen.append((total, float(model.optimizer.learning_rate)))
    for step, lr in seen:
        assert lr == pytest.approx(0.05 + (0.001 - 0.05) * step / total, rel=1e-5)


def _expected_pairs(model, corpus):
    """Pairs per epoch of `fit(corpus, sample=0)` with the default window."""
    return expected_skipgram_pairs(
        model.vocabulary.encode(corpus), model.vocabulary.counts, 5, 0, True, (0, 1, 2)
    )


@pytest.mark.parametrize("steps_per_execution", [32, 5, 3])
def test_an_epoch_runs_its_steps_in_equal_calls(steps_per_execution):
    corpus = _two_topic_corpus(n=40)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    needed = round(_expected_pairs(model, corpus) / 64)
    model.fit(
        corpus,
        epochs=1,
        batch_size=64,
        sample=0,
        verbose=0,
        steps_per_execution=steps_per_execution,
    )
    steps, per_call = int(model.optimizer.iterations), model.steps_per_execution
    calls = steps // per_call
    assert steps == calls * per_call
    assert per_call <= steps_per_execution
    # Every step the epoch needs, and fewer than one more per call.
    assert needed <= steps < needed + calls


@pytest.mark.parametrize(
    ("loss", "compile_args", "batch"),
    [
        ("negative_sampling", None, 16384),
        ("negative_sampling", {"in_place_sgd": True}, 16384),
        ("negative_sampling", {"jit_compile": True}, 1024),
        ("hierarchical_softmax", None, 16384),
        ("hierarchical_softmax", {"jit_compile": True}, 1024),
    ],
    ids=[
        "fit's compile",
        "in place",
        "keras step",
        "hierarchical",
        "hierarchical keras step",
    ],
)
def test_default_batch_is_larger_when_steps_train_in_place(loss, compile_args, batch):
    # 500 words, so that no word dominates a slice of 1024 pairs.
    words = np.random.default_rng(0).integers(0, 500, (800, 8))
    corpus = [[f"w{i}" for i in doc] for doc in words]
    model = Word2Vec.from_corpus(
        corpus, min_count=1, embedding_dim=4, loss=loss, seed=0
    )
    if compile_args is not None:
        model.compile(optimizer=keras.optimizers.SGD(0.01), **compile_args)
    model.fit(corpus, epochs=1, sample=0, verbose=0)
    pairs = _expected_pairs(model, corpus)
    # Fewer than 32 steps: one call of exactly the steps the epoch needs.
    assert round(pairs / 16384) < round(pairs / 1024) <= 32
    assert int(model.optimizer.iterations) == round(pairs / batch)
    assert model.get_compile_config()["in_place_sgd"] is (batch == 16384)


def test_keras_save_load_round_trip(tmp_path):
    corpus = _two_topic_corpus(n=40)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    model.fit(corpus, epochs=1, batch_size=64, verbose=0)
    path = str(tmp_path / "w2v.keras")
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(again.vectors.vectors, model.vectors.vectors)
    assert again.words == model.words
    pairs = (np.array([3, 4, 5]), np.array([6, 7, 8]))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(again(pairs)),
        keras.ops.convert_to_numpy(model(pairs)),
        rtol=1e-6,
    )


def test_tokenizer_survives_from_config_and_keras_files(tmp_path):
    tokenizer = Tokenizer(lowercase=False, split="words")
    corpus = ["Don't STOP", "STOP don't stop"]
    model = Word2Vec.from_corpus(
        corpus, min_count=1, embedding_dim=4, seed=0, tokenizer=tokenizer
    )
    vocab = model.vocabulary
    expected = [[vocab.token_to_id("STOP"), vocab.token_to_id("don")]]
    assert vocab.encode(["STOP don"]) == expected
    config = json.loads(json.dumps(model.get_config()))
    assert config["tokenizer"] == {"lowercase": False, "split": "words"}
    revived = Word2Vec.from_config(config)
    assert revived.tokenizer.get_config() == tokenizer.get_config()
    assert revived.vocabulary.encode(["STOP don"]) == expected
    model((np.array([3]), np.array([4])))  # built, so the file holds weights
    path = str(tmp_path / "w2v.keras")
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    assert again.vocabulary.encode(["STOP don"]) == expected


def test_default_tokenizer_config_and_configs_without_one():
    model = Word2Vec(["stop", "don"], [2, 1], embedding_dim=2)
    config = model.get_config()
    assert config["tokenizer"] is None
    del config["tokenizer"]  # a config saved before the argument existed
    revived = Word2Vec.from_config(config)
    assert revived.tokenizer is None
    assert revived.vocabulary.encode(["STOP don"]) == [[3, 4]]
    with pytest.raises(
        TypeError,
        match=r"`tokenizer` must be a .*Tokenizer.*'words'",
    ):
        Word2Vec(["a"], [1], tokenizer="words")


def test_loss_is_the_sum_of_pair_losses_weighted_by_sample_weight():
    model = Word2Vec(["a", "b", "c"], [3, 2, 1], embedding_dim=4, seed=0)
    pair_losses = np.array([0.5, 1.5, 2.0], "float32")
    weight = np.array([1.0, 0.0, 2.0], "float32")
    plain = model.compute_loss(y_pred=pair_losses)
    weighted = model.compute_loss(y_pred=pair_losses, sample_weight=weight)
    assert float(plain) == pytest.approx(4.0)
    assert float(weighted) == pytest.approx(0.5 + 4.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="`loss` must be one of"):
        Word2Vec(["a", "b"], [1, 2], loss="cbow")
    with pytest.raises(ValueError, match="finite and > 0 everywhere"):
        Word2Vec(["a", "b"], [1, 0])
    # A fraction would only fail later, in `vocabulary` or `fit`.
    with pytest.raises(ValueError, match=r"whole numbers .* received 1\.5 at index 0"):
        Word2Vec(["a", "b"], [1.5, 2.0])
    assert Word2Vec(["a", "b"], np.array([3.0, 2.0])).counts == [3, 2]
    with pytest.raises(ValueError, match="corpus is empty"):
        Word2Vec.from_corpus([], min_count=1)
    model = Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(ValueError, match="corpus is empty"):
        model.fit([[]], verbose=0)
    with pytest.raises(ValueError, match="`window` must be an integer >= 1"):
        model.fit([["a", "b"]], window=0, verbose=0)
    # Without a document holding two vocabulary words the endless pair
    # dataset would never yield a batch: fit used to hang there.
    for corpus in ([["zzz", "yyy"]], [["a"], ["b", "zzz"]]):
        with pytest.raises(ValueError, match="no skip-gram pair to train on"):
            model.fit(corpus, verbose=0)
    with pytest.raises(ValueError, match="`num_negatives` must be an integer >= 1"):
        Word2Vec(["a", "b"], [1, 2], num_negatives=0)
    # Reserved ids (<PAD>, <UNK>, <EOS>) have no vectors: an eager call
    # names the id, never a vector.
    with pytest.raises(ValueError, match=r"id 1 in its inputs.*\[3, 5\)"):
        model((np.array([1, 3]), np.array([3, 4])))
    # An int64 id beyond int32 is no vocabulary id either (a plain cast
    # would wrap 2**32 + 3 onto id 3). In a traced step, where the ids have
    # no values yet, it gives NaN, never a vector.
    call = tf.function(lambda c, t: model((c, t)), jit_compile=True)
    wide = tf.constant([2**32 + 3, 3], "int64")
    out = call(wide, tf.constant([4, 4], "int64")).numpy()
    assert np.isnan(out[0])
    assert np.isfinite(out[1])


@pytest.mark.parametrize(
    ("words", "error", "match"),
    [
        (
            ["a", b"x"],
            TypeError,
            r"tokens must be strings; received b'x'.*`words` at index 1",
        ),
        (
            ["a", 3],
            TypeError,
            r"tokens must be strings; received 3.*`words` at index 1",
        ),
        (
            "ab",
            TypeError,
            r"`words` must be a list of strings, not a single str",
        ),
        (
            ["a", "b", "a"],
            ValueError,
            r"`words` contains duplicates: \['a'\]",
        ),
        (
            ["a", "<UNK>"],
            ValueError,
            r"`words` must not contain the reserved token '<UNK>'",
        ),
        (
            ["a", "b c"],
            ValueError,
            r"no whitespace; received 'b c' in `words`",
        ),
        (
            ["a", ""],
            ValueError,
            r"non-empty .*; received '' in `words`",
        ),
    ],
)
def test_words_are_checked_at_construction(words, error, match):
    # These used to be accepted (b"x" became "b'x'", 3 became "3") or to fail
    # only at `.vectors` / `.vocabulary`, after training.
    with pytest.raises(error, match=match):
        Word2Vec(words, [1] * len(words), embedding_dim=2)


@pytest.mark.parametrize(
    ("argument", "value", "error", "allowed"),
    [
        ("steps_per_execution", 0, ValueError, "an integer >= 1"),
        ("steps_per_execution", 2.0, TypeError, "an integer >= 1"),
        ("batch_size", 0, ValueError, "an integer >= 1"),
        ("window", True, TypeError, "an integer >= 1"),
        ("epochs", 0, ValueError, "an integer >= 1"),
        ("progress_every", -1, ValueError, "an integer >= 0"),
        ("sample", -0.1, ValueError, "a finite number >= 0"),
        ("sample", "1e-3", TypeError, "a finite number >= 0"),
        ("sample", float("nan"), ValueError, "a finite number >= 0"),
        ("learning_rate", 0, ValueError, "a finite number > 0"),
        ("min_learning_rate", -1e-4, ValueError, "a finite number >= 0"),
        ("shrink_windows", "yes", TypeError, "True or False"),
        ("seed", 1.5, TypeError, "an integer or None"),
    ],
)
def test_fit_checks_its_arguments_before_reading_the_corpus(
    argument, value, error, allowed
):
    # The corpus would fail ("The corpus is empty"), so the argument's error
    # shows it is checked first (steps_per_execution=0 used to end in a
    # ZeroDivisionError after the pipeline was built).
    model = Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(error, match=rf"`{argument}` must be {allowed}"):
        model.fit([[]], verbose=0, **{argument: value})
    assert not model.compiled


def test_fit_steps_per_execution_zero_is_a_value_error():
    model = Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(
        ValueError,
        match=r"`steps_per_execution` must be an integer >= 1",
    ):
        model.fit([["a", "b", "a"]], steps_per_execution=0, verbose=0)
    assert not model.compiled


def test_fit_on_a_ready_pair_dataset():
    import tensorflow as tf

    from keras_seqlayers.text import Vocabulary, skipgram_dataset

    corpus = _two_topic_corpus(n=40)
    vocab = Vocabulary.build(corpus)
    model = Word2Vec(vocab.words[3:], vocab.counts[3:].tolist(), embedding_dim=4)
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    pairs = skipgram_dataset(vocab.encode(corpus), counts=vocab.counts, sample=0)
    assert isinstance(pairs, tf.data.Dataset)
    before = model.vectors.vectors.copy()
    # Repeated with a step count: a pipeline of unknown length that ends
    # inside a compiled run of steps makes Keras warn.
    model.fit(
        pairs.map(lambda c, t: ((c, t),)).repeat(),
        epochs=1,
        steps_per_epoch=4,
        verbose=0,
    )
    assert not np.array_equal(before, model.vectors.vectors)


@pytest.mark.parametrize(
    "argument",
    [
        {"window": 2},
        {"sample": 0},
        {"batch_size": 64},
        {"learning_rate": 0.1},
        {"steps_per_execution": 1},
        {"seed": 3},
    ],
)
def test_fit_on_pairs_refuses_corpus_only_arguments(argument):
    import tensorflow as tf

    model = Word2Vec(["a", "b"], [2, 1], embedding_dim=2)
    model.compile(optimizer=keras.optimizers.SGD(0.01))
    pairs = tf.data.Dataset.from_tensor_slices(([3, 4], [4, 3])).batch(2)
    before = [w.copy() for w in model.get_weights()]
    (name,) = argument
    with pytest.raises(ValueError, match=rf"\['{name}'\] apply to a corpus only"):
        model.fit(pairs.map(lambda c, t: ((c, t),)), verbose=0, **argument)
    for weight, old in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(weight, old)


def test_fit_on_a_dataset_of_documents_or_token_lists():
    import tensorflow as tf

    corpus = _two_topic_corpus(n=40)
    docs = [" ".join(d) for d in corpus]
    fit_args = dict(epochs=1, batch_size=64, sample=0, verbose=0, seed=0)
    expected = Word2Vec.from_corpus(docs, min_count=1, embedding_dim=4, seed=0)
    expected.fit(docs, **fit_args)
    # A dataset of documents (scalar strings) or of token lists (1-D string
    # tensors) is a corpus, as for `from_corpus`: the same training as a list.
    for data in (
        tf.data.Dataset.from_tensor_slices(docs),
        tf.data.Dataset.from_tensor_slices(corpus),
    ):
        model = Word2Vec.from_corpus(data, min_count=1, embedding_dim=4, seed=0)
        history = model.fit(data, **fit_args)
        assert np.isfinite(history.history["loss"][0])
        np.testing.assert_allclose(
            model.vectors.vectors, expected.vectors.vectors, rtol=1e-5, atol=1e-7
        )


@pytest.mark.parametrize(
    "data",
    [
        lambda tf: tf.data.Dataset.from_tensors(tf.constant([["a", "b"], ["b", "a"]])),
        lambda tf: tf.data.Dataset.from_tensor_slices((["a b", "b a"], [0, 1])),
    ],
)
def test_fit_rejects_a_string_dataset_that_is_no_corpus(data):
    import tensorflow as tf

    data = data(tf)
    model = Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(
        ValueError,
        match=r"`x` must be a corpus.*dataset of strings",
    ):
        model.fit(data, verbose=0)


def test_divergence_raises_a_clear_error_and_stops_training():
    corpus = _two_topic_corpus(n=40)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    # Without subsampling: about 16 steps per epoch, all in one compiled call.
    with pytest.raises(FloatingPointError, match=r"epoch 1 \(batch_size=64,"):
        model.fit(
            corpus,
            epochs=3,
            batch_size=64,
            sample=0,
            learning_rate=1e30,
            verbose=0,
            seed=0,
        )
    # Training stopped after the first call, not after three epochs.
    steps = model.steps_per_execution
    assert steps > 1
    assert int(model.optimizer.iterations) == steps


def _pair_batch(n, seed=0):
    # 20 words, pairs of vocabulary ids (0-2 are reserved).
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(20)]
    counts = rng.integers(1, 50, 20).tolist()
    pairs = (rng.integers(3, 23, n), rng.integers(3, 23, n))
    return words, counts, pairs


def _train(
    words,
    counts,
    pairs,
    optimizer,
    jit_compile,
    in_place_sgd=False,
    loss="negative_sampling",
):
    """Two epochs of one batch; returns the weights and the loss history."""
    model = Word2Vec(words, counts, embedding_dim=8, seed=3, loss=loss)
    model.compile(
        optimizer=optimizer, jit_compile=jit_compile, in_place_sgd=in_place_sgd
    )
    data = tf.data.Dataset.from_tensor_slices((pairs,)).batch(len(pairs[0]))
    history = model.fit(data, epochs=2, verbose=0, shuffle=False)
    return model.get_weights(), history.history["loss"]


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
def test_in_place_sgd_steps_in_slices_of_1024(loss):
    words, counts, pairs = _pair_batch(1500)
    sgd = keras.optimizers.SGD
    in_place, _ = _train(
        words, counts, pairs, sgd(0.01), True, in_place_sgd=True, loss=loss
    )
    reference = Word2Vec(words, counts, embedding_dim=8, seed=3, loss=loss)
    rows = [p - 3 for p in pairs]
    for _ in range(2):
        reference.objective.sgd_update(rows, 0.01, slice_size=1024)
    for a, b in zip(in_place, reference.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # One autodiff step over the whole batch is another step.
    whole, _ = _train(words, counts, pairs, sgd(0.01), False, loss=loss)
    assert not np.allclose(in_place[0], whole[0], atol=1e-4)


@pytest.mark.parametrize("loss", ["negative_sampling", "hierarchical_softmax"])
def test_in_place_sgd_equals_keras_step_on_a_batch_within_one_slice(loss):
    words, counts, pairs = _pair_batch(32)
    sgd = keras.optimizers.SGD
    in_place, in_place_losses = _train(
        words, counts, pairs, sgd(0.2), True, in_place_sgd=True, loss=loss
    )
    keras_step, keras_losses = _train(words, counts, pairs, sgd(0.2), False, loss=loss)
    for a, b in zip(in_place, keras_step, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(in_place_losses, keras_losses, rtol=1e-5)


def test_a_model_compiled_with_sgd_under_xla_takes_keras_step():
    # The step is what the user compiled: plain SGD under XLA used to be
    # switched to the in-place step in slices of 1024 pairs without asking.
    words, counts, pairs = _pair_batch(1500)
    sgd = keras.optimizers.SGD
    xla, _ = _train(words, counts, pairs, sgd(0.01), True)
    whole, _ = _train(words, counts, pairs, sgd(0.01), False)
    for a, b in zip(xla, whole, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


@pytest.mark.parametrize(
    ("compile_args", "lacking"),
    [
        ({"optimizer": keras.optimizers.SGD(0.2, momentum=0.9)}, "plain"),
        ({"optimizer": keras.optimizers.SGD(0.2, clipnorm=1.0)}, "plain"),
        ({"optimizer": keras.optimizers.SGD(0.2, use_ema=True)}, "plain"),
        ({"optimizer": "adam"}, "plain"),
        ({"optimizer": "sgd", "jit_compile": False}, "jit_compile=True"),
        ({"optimizer": "sgd", "run_eagerly": True}, "run_eagerly=False"),
    ],
    ids=["momentum", "clipnorm", "ema", "adam", "no xla", "eager"],
)
def test_in_place_sgd_names_what_it_lacks(compile_args, lacking):
    model = Word2Vec(["a", "b"], [2, 1], embedding_dim=2)
    with pytest.raises(ValueError, match=rf"`in_place_sgd=True` needs .*{lacking}"):
        model.compile(in_place_sgd=True, **compile_args)
    assert not model.compiled
    with pytest.raises(TypeError, match=r"`in_place_sgd` must be True or False"):
        model.compile("sgd", in_place_sgd="yes")


def test_in_place_training_keeps_the_model_built_and_saveable(tmp_path):
    corpus = _two_topic_corpus(n=40)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    untrained = model.vectors.vectors  # builds the tables before fit
    model.fit(corpus, epochs=2, batch_size=64, sample=0, verbose=0)
    assert model.built
    assert not np.allclose(model.vectors.vectors, untrained)
    trained = model.get_weights()
    model.save(tmp_path / "w2v.keras")
    loaded = keras.saving.load_model(tmp_path / "w2v.keras")
    for a, b in zip(loaded.get_weights(), trained, strict=True):
        np.testing.assert_array_equal(a, b)
    # `fit` compiled the in-place step, and the loaded model keeps it.
    assert loaded.get_compile_config()["in_place_sgd"] is True
    model.save_weights(tmp_path / "w2v.weights.h5")


def test_fit_on_a_corpus_traces_its_step_once():
    traces = []

    class Counting(Word2Vec):
        def train_step(self, data):
            traces.append(1)  # Python runs here only while tracing.
            return super().train_step(data)

    corpus = _two_topic_corpus(n=40)
    model = Counting.from_corpus(corpus, min_count=1, embedding_dim=4, seed=0)
    model.fit(corpus, epochs=2, batch_size=64, sample=0, verbose=0)
    assert len(traces) == 1


def test_default_batch_is_at_most_one_pass_over_a_small_corpus():
    # 100 short sentences of 8 words: subsampling keeps about one word in
    # ten, so a pass has some 20 pairs. A default batch of 16384 pairs made
    # an epoch of one step over hundreds of passes, whose summed updates
    # diverged (and a one-sentence corpus took tens of thousands of passes).
    corpus = ["the cat sat on the mat", "the dog sat on the log"] * 50
    model = Word2Vec.from_corpus(corpus, embedding_dim=8, min_count=1, seed=0)
    vocabulary = model.vocabulary
    pairs = expected_skipgram_pairs(
        vocabulary.encode(corpus), vocabulary.counts, 5, 1e-3, True, (0, 1, 2)
    )
    assert pairs < 100
    history = model.fit(corpus, epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert int(model.optimizer.iterations) == 3


def test_min_learning_rate_must_not_exceed_learning_rate():
    model = Word2Vec(["a", "b"], [1, 2], embedding_dim=2)
    with pytest.raises(
        ValueError,
        match=r"`min_learning_rate` must be at most `learning_rate`",
    ):
        model.fit([["a", "b"]], learning_rate=0.01, min_learning_rate=0.1)


def test_a_compiled_model_refuses_compile_options_instead_of_ignoring_them():
    corpus = _two_topic_corpus(n=10)
    model = Word2Vec.from_corpus(corpus, min_count=1, embedding_dim=4)
    model.fit(corpus, epochs=1, batch_size=64, verbose=0)  # compiles
    for name, value in (("learning_rate", 0.5), ("steps_per_execution", 2)):
        with pytest.raises(ValueError, match=rf"\['{name}'\].*would be ignored"):
            model.fit(corpus, epochs=1, verbose=0, **{name: value})


def test_hierarchical_softmax_trains_on_real_text_with_the_defaults():
    # With batches of 4096 pairs the root's vector, on every pair's path,
    # took 4096 summed steps at once and the loss became inf in epoch 1.
    docs = load_wikipedia_sample(unit="paragraph")[:2000]
    model = Word2Vec.from_corpus(
        docs, loss="hierarchical_softmax", epochs=1, verbose=0, seed=1
    )
    assert np.isfinite(model.history.history["loss"]).all()

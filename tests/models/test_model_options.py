"""Each option of `Word2Vec` and `GloVe` reaches its effect.

Every test changes one option and checks what it does against an
expectation written from the equations: a GloVe step in NumPy, the
noise distribution, the pairs the corpus pipeline feeds the model.
"""

import collections

import keras
import numpy as np
import pytest

import keras_seqlayers as ksl

# -- GloVe: x_max, alpha, learning_rate -------------------------------------


def numpy_glove_step(tables, i, j, X, x_max, alpha, learning_rate):
    """One AdaGrad step (sums starting at 1) on the summed GloVe loss."""
    W, Wt, b, bt = (t.astype("float64") for t in tables)
    f = np.minimum(1.0, (X / x_max) ** alpha)
    diff = np.sum(W[i] * Wt[j], axis=1) + b[i] + bt[j] - np.log(X)
    g = 2 * f * diff
    grads = [np.zeros_like(t) for t in (W, Wt, b, bt)]
    np.add.at(grads[0], i, g[:, None] * Wt[j])
    np.add.at(grads[1], j, g[:, None] * W[i])
    np.add.at(grads[2], i, g)
    np.add.at(grads[3], j, g)
    epsilon = keras.config.epsilon()
    return [
        t - learning_rate * grad / np.sqrt(1.0 + grad**2 + epsilon)
        for t, grad in zip((W, Wt, b, bt), grads, strict=True)
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"x_max": 100.0, "alpha": 0.75, "learning_rate": 0.05},
        {"x_max": 2.0, "alpha": 0.75, "learning_rate": 0.05},
        {"x_max": 2.0, "alpha": 0.25, "learning_rate": 0.05},
        {"x_max": 2.0, "alpha": 0.25, "learning_rate": 0.5},
    ],
)
def test_glove_step_uses_the_models_x_max_alpha_and_learning_rate(options):
    # Counts on both sides of x_max=2, so x_max and alpha change f. No id
    # repeats within a table, so each row takes one pair's step.
    i = np.array([0, 1, 2, 3])
    j = np.array([1, 2, 3, 0])
    X = np.array([1.0, 3.0, 0.5, 8.0])
    keras.utils.set_random_seed(0)
    model = ksl.models.GloVe(6, 2, **options)
    glove = model.glove
    # Non-zero biases, so their terms count too.
    glove.word_bias.assign(np.linspace(-0.1, 0.2, 6))
    glove.context_bias.assign(np.linspace(0.3, -0.2, 6))
    before = [keras.ops.convert_to_numpy(w) for w in glove.weights]
    model.fit((i, j), X, batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert model._trains_in_place()  # the fast step is the one checked
    expected = numpy_glove_step(before, i, j, X, **options)
    for weight, table in zip(glove.weights, expected, strict=True):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(weight), table, rtol=1e-5, atol=1e-7
        )


def test_glove_default_initializers():
    model = ksl.models.GloVe(4000, 4)
    bound = 0.5 / 4
    for table in (model.glove.word_embeddings, model.glove.context_embeddings):
        values = keras.ops.convert_to_numpy(table)
        assert values.min() >= -bound
        assert values.max() <= bound
        # Uniform: spread over the whole interval.
        assert values.min() < -0.99 * bound
        assert values.max() > 0.99 * bound
    W, Wt = (keras.ops.convert_to_numpy(t) for t in model.glove.weights[:2])
    assert not np.array_equal(W, Wt)  # two draws
    for bias in (model.glove.word_bias, model.glove.context_bias):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(bias), 0.0)


# -- min_count, both models --------------------------------------------------


@pytest.mark.parametrize("cls", [ksl.models.Word2Vec, ksl.models.GloVe])
@pytest.mark.parametrize("min_count", [1, 3, 5])
def test_min_count_keeps_the_words_seen_that_often(cls, min_count):
    corpus = ["a a a a a b b b c c d", "a b c e"]
    counts = collections.Counter(" ".join(corpus).split())
    model = cls.from_corpus(corpus, min_count=min_count, embedding_dim=2, verbose=0)
    kept = {w for w, n in counts.items() if n >= min_count}
    assert set(model.vocabulary.words[3:]) == kept
    assert set(model.vectors.words) == kept


# -- Word2Vec: the pairs fit trains on ----------------------------------------


class RecordingWord2Vec(ksl.models.Word2Vec):
    """Keeps the `(center, context)` batches of its (eager) training steps."""

    def train_step(self, data):
        center, context = data[0]
        self.pairs.append((np.asarray(center), np.asarray(context)))
        return super().train_step(data)


def recorded_pairs(corpus, **options):
    model = RecordingWord2Vec.from_corpus(
        corpus, min_count=1, embedding_dim=2, seed=0, **options
    )
    model.pairs = []
    model.compile(keras.optimizers.SGD(0.0), run_eagerly=True)
    model.fit(corpus, epochs=1, batch_size=512, seed=0, verbose=0)
    words = np.array(model.vocabulary.words)
    return [
        (words[c], words[t])
        for center, context in model.pairs
        for c, t in zip(center, context, strict=True)
    ]


@pytest.mark.parametrize("window", [1, 3])
@pytest.mark.parametrize("shrink_windows", [False, True])
def test_window_bounds_the_distance_of_the_pairs(window, shrink_windows):
    corpus = [" ".join(f"w{k}" for k in range(10))] * 20
    pairs = recorded_pairs(
        corpus, window=window, sample=0, shrink_windows=shrink_windows
    )
    distances = collections.Counter(abs(int(c[1:]) - int(t[1:])) for c, t in pairs)
    assert set(distances) == set(range(1, window + 1))
    if window > 1:
        # A document of 10 words holds 2 (10 - d) pairs d apart; a shrinking
        # window, drawn from [1, window] per center, keeps those at
        # d = window with probability 1 / window.
        expected = (10 - window) / 9 / (window if shrink_windows else 1)
        assert distances[window] / distances[1] == pytest.approx(expected, rel=0.2)


@pytest.mark.parametrize("sample", [0.0, 1e-3])
def test_sample_subsamples_frequent_words_as_word2vec(sample):
    # "a" is 80% of the tokens; w0..w7 share the rest.
    rng = np.random.default_rng(0)
    corpus = []
    for _ in range(40):
        tokens = ["a"] * 160 + [f"w{k}" for k in range(8)] * 5
        corpus.append(" ".join(rng.permutation(tokens)))
    pairs = recorded_pairs(corpus, window=1, shrink_windows=False, sample=sample)
    centers = collections.Counter(c for c, _ in pairs)
    rare = sum(n for w, n in centers.items() if w != "a")
    measured = centers["a"] / rare

    def kept(frequency):
        # word2vec: keep with probability (sqrt(f / s) + 1) * s / f.
        if sample == 0:
            return 1.0
        return min(1.0, (np.sqrt(frequency / sample) + 1) * sample / frequency)

    # Kept tokens are placed at random, so each has the same expected pairs.
    expected = 0.8 * kept(0.8) / (0.2 * kept(0.025))
    assert measured == pytest.approx(expected, rel=0.15)


def test_fit_arguments_override_the_models_options_for_one_call():
    corpus = [" ".join(f"w{k}" for k in range(10))] * 20
    model = RecordingWord2Vec.from_corpus(
        corpus, min_count=1, embedding_dim=2, window=1, sample=0
    )
    model.pairs = []
    model.compile(keras.optimizers.SGD(0.0), run_eagerly=True)
    model.fit(corpus, epochs=1, batch_size=512, window=2, verbose=0)
    words = np.array(model.vocabulary.words)
    distances = {
        abs(int(words[c][1:]) - int(words[t][1:]))
        for center, context in model.pairs
        for c, t in zip(center, context, strict=True)
    }
    assert distances == {1, 2}
    assert model.window == 1


# -- Word2Vec: learning rates, noise ------------------------------------------


def test_learning_rates_set_the_default_schedule():
    corpus = ["the cat sat on the mat", "the dog sat on the log"] * 20
    model = ksl.models.Word2Vec.from_corpus(
        corpus,
        min_count=1,
        embedding_dim=2,
        learning_rate=0.2,
        min_learning_rate=0.05,
        sample=0,
    )
    model.fit(corpus, epochs=2, batch_size=16, verbose=0)
    schedule = model.optimizer._learning_rate
    total = schedule.decay_steps
    assert float(schedule(0)) == pytest.approx(0.2)
    assert float(schedule(total // 2)) == pytest.approx(0.125, rel=0.05)
    assert float(schedule(total)) == pytest.approx(0.05)
    assert total == int(model.optimizer.iterations)


@pytest.mark.parametrize("power", [0.0, 0.75, 1.0])
def test_power_shapes_the_noise_distribution(power):
    counts = [1000, 400, 100, 20, 5]
    model = ksl.models.Word2Vec(list("abcde"), counts, embedding_dim=2, power=power)
    model.build()
    draws = keras.ops.convert_to_numpy(model.objective.sample_noise((200_000,), 0))
    observed = np.bincount(draws, minlength=5) / draws.size
    expected = np.array(counts, "float64") ** power
    np.testing.assert_allclose(observed, expected / expected.sum(), atol=0.006)


@pytest.mark.parametrize("num_negatives", [1, 5, 12])
def test_num_negatives_counts_the_logistic_terms_of_a_pair(num_negatives):
    # Output vectors start at zero (word2vec's, the documented default):
    # every term is log(1 + e^0) = log 2, one for the context and one per
    # noise word (noise equal to the context is skipped: 1 in 2000 here).
    V = 2000
    model = ksl.models.Word2Vec(
        [f"w{k}" for k in range(V)],
        [1] * V,
        embedding_dim=4,
        num_negatives=num_negatives,
        seed=0,
    )
    center = np.arange(3, 3 + 256)
    losses = keras.ops.convert_to_numpy(model((center, center + 1), training=True))
    expected = (1 + num_negatives * (1 - 1 / V)) * np.log(2)
    assert losses.mean() == pytest.approx(expected, rel=2e-3)


def test_word2vec_default_initializers():
    model = ksl.models.Word2Vec(
        [f"w{k}" for k in range(4000)], [1] * 4000, embedding_dim=4
    )
    model.build()
    e = keras.ops.convert_to_numpy(model.objective.input_embeddings)
    bound = 0.5 / 4
    assert e.min() >= -bound
    assert e.max() <= bound
    assert e.min() < -0.99 * bound
    assert e.max() > 0.99 * bound
    theta = keras.ops.convert_to_numpy(model.objective.output_embeddings)
    np.testing.assert_array_equal(theta, 0.0)

import collections
import itertools
import math

import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import (
    expected_skipgram_pairs,
    keep_probabilities,
    skipgram_dataset,
)
from keras_seqlayers.text.skipgram import skipgram_statistics


def _pairs(ds):
    out = []
    for c, x in ds:
        out.extend(zip(c.numpy().tolist(), x.numpy().tolist(), strict=True))
    return out


def test_pairs_equal_brute_force_without_randomness():
    seqs = [[3, 4, 1, 5, 6], [7], [8, 9, 0, 10]]
    got = _pairs(
        skipgram_dataset(
            seqs,
            window=2,
            sample=0,
            shrink_windows=False,
            batch_size=3,
            shuffle=False,
        )
    )
    expected = []
    for seq in seqs:
        kept = [t for t in seq if t not in (0, 1)]  # dropped before windowing
        for i, c in enumerate(kept):
            for j in range(max(0, i - 2), min(len(kept), i + 3)):
                if j != i:
                    expected.append((c, kept[j]))
    assert got == expected


def test_shuffle_keeps_the_multiset_and_seed_is_reproducible():
    seqs = [list(range(3, 40)), list(range(50, 70))]
    kwargs = {"window": 3, "sample": 0, "shrink_windows": False, "batch_size": 7}
    plain = _pairs(skipgram_dataset(seqs, shuffle=False, **kwargs))
    shuffled = _pairs(skipgram_dataset(seqs, seed=1, **kwargs))
    assert plain != shuffled
    assert collections.Counter(plain) == collections.Counter(shuffled)
    assert shuffled == _pairs(skipgram_dataset(seqs, seed=1, **kwargs))


def test_model_inputs_nests_the_same_pairs():
    seqs = [list(range(3, 40)), list(range(50, 70))]
    kwargs = {"window": 3, "sample": 0, "batch_size": 7, "seed": 2}
    plain = _pairs(skipgram_dataset(seqs, **kwargs))
    nested = skipgram_dataset(seqs, model_inputs=True, **kwargs)
    got = []
    for element in nested:
        assert len(element) == 1
        assert len(element[0]) == 2
        got.extend(zip(*(t.numpy().tolist() for t in element[0]), strict=True))
    assert got == plain


def test_pipeline_runs_without_autotuning():
    # tf.data's autotuning thread can hold up an iterator's deletion for
    # seconds (at the end of some Word2Vec fits); the pipeline turns it off.
    for sequences in ([[3, 4, 5]], tf.data.Dataset.from_tensors([3, 4, 5])):
        ds = skipgram_dataset(sequences, sample=0)
        assert ds.options().autotune.enabled is False


def test_effective_windows_are_uniform():
    window, length = 5, 20000
    seq = list(range(3, 3 + length))  # distinct ids: center id = position
    ds = skipgram_dataset([seq], window=window, sample=0, seed=0, batch_size=65536)
    per_center = collections.Counter(c for c, _ in _pairs(ds))
    # Away from the edges a center with window b has exactly 2b contexts.
    sizes = [per_center[3 + i] // 2 for i in range(window, length - window)]
    freq = np.bincount(sizes, minlength=window + 1)[1:] / len(sizes)
    assert set(sizes) <= set(range(1, window + 1))
    assert 0.5 * np.abs(freq - 1 / window).sum() < 0.02


def test_subsampling_keep_rates_match_formula():
    # Sequences [w, 3]: a pair with center w exists iff w was kept; id 3 is
    # rare so it is always kept.
    counts = np.array([0, 0, 0, 1, 4000, 400, 40], dtype=np.int64)
    sample = 1e-2
    n = 20000
    seqs = tf.RaggedTensor.from_tensor(
        np.array([[w, 3] for w in (4, 5, 6) for _ in range(n)])
    )
    ds = skipgram_dataset(
        seqs,
        counts=counts,
        window=1,
        sample=sample,
        seed=3,
        batch_size=65536,
        sequences_per_chunk=8192,
    )
    centers = collections.Counter(c for c, _ in _pairs(ds))
    total = counts.sum()
    for w in (4, 5, 6):
        f = counts[w] / total
        expected = min(1.0, np.sqrt(sample / f) + sample / f)
        assert centers[w] / n == pytest.approx(expected, abs=0.015)
    np.testing.assert_allclose(
        keep_probabilities(counts, sample)[4:],
        [min(1, np.sqrt(sample * total / c) + sample * total / c) for c in counts[4:]],
    )


def test_dataset_input_and_bad_inputs():
    ds = tf.data.Dataset.from_generator(
        lambda: iter([[3, 4], [5, 6, 7]]),
        output_signature=tf.TensorSpec([None], tf.int32),
    )
    got = _pairs(skipgram_dataset(ds, window=1, sample=0, shuffle=False))
    assert got == [(3, 4), (4, 3), (5, 6), (6, 5), (6, 7), (7, 6)]
    # Sequences of one fixed length (a dense dataset) work too.
    fixed = tf.data.Dataset.from_tensor_slices(np.array([[3, 4], [5, 6]]))
    got = _pairs(skipgram_dataset(fixed, window=1, sample=0, shuffle=False))
    assert got == [(3, 4), (4, 3), (5, 6), (6, 5)]
    with pytest.raises(ValueError, match=r"`window` must be an integer >= 1.*window=0"):
        skipgram_dataset([[3, 4]], window=0, sample=0)
    with pytest.raises(ValueError, match="corpus is empty"):
        skipgram_dataset([[], []], sample=0)
    # Endless and pairless, it would never yield a batch (it used to hang).
    for pairless in ([[1, 4, 1], [5]], tf.ragged.constant([[1, 4, 1], [5]])):
        with pytest.raises(ValueError, match=r"no sentence holds two tokens outside"):
            skipgram_dataset(pairless, sample=0, repeat=True)
    repeated = skipgram_dataset([[1, 4, 1], [5, 6]], sample=0, repeat=True)
    assert len(next(iter(repeated))[0]) > 0
    with pytest.raises(ValueError, match="`counts` is required"):
        skipgram_dataset([[3, 4]])
    with pytest.raises(
        ValueError, match=r"`counts` must be finite and >= 0.*received -1 at index 1"
    ):
        skipgram_dataset([[3, 4]], counts=[1, -1, 2, 3, 4])
    with pytest.raises(ValueError, match="received nan at index 0"):
        skipgram_dataset([[3, 4]], counts=[float("nan"), 1, 2, 3, 4])
    with pytest.raises(TypeError, match="`counts` must be numbers; received dtype"):
        skipgram_dataset([[3, 4]], counts=["1", "2", "3", "4", "5"])
    with pytest.raises(ValueError, match="all zero"):
        skipgram_dataset([[3, 4]], counts=[0, 0, 0, 0, 0])
    with pytest.raises(ValueError, match=r"received id 9 at sequences\[0\]\[1\]"):
        skipgram_dataset([[3, 9]], counts=[0, 0, 0, 1, 1])


def test_keep_probabilities_follow_word2vec_c():
    # word2vec.c (and gensim): a word seen `cn` times in `train_words` is kept
    # with (sqrt(cn / (sample * train_words)) + 1) * sample * train_words / cn,
    # capped at 1. Here sample * train_words = 4, worked by hand:
    # cn = 4: 2 -> 1; 16: (2 + 1) / 4; 100: (5 + 1) / 25; 400: (10 + 1) / 100.
    counts = [0, 4, 16, 100, 400]
    np.testing.assert_allclose(
        keep_probabilities(counts, sample=4 / sum(counts)),
        [0.0, 1.0, 0.75, 0.24, 0.11],
    )


def _exact_pairs(sentences, keep, window, shrink_windows):
    """Expected pairs of one pass, summed over every subset of kept words.

    A sentence that keeps m words yields, for its i-th word, min(b, i) +
    min(b, m - 1 - i) pairs with window b, uniform in [1, window] when
    shrinking.
    """
    windows = range(1, window + 1) if shrink_windows else [window]
    total = 0.0
    for sentence in sentences:
        p = [keep[w] for w in sentence]
        for kept in itertools.product((0, 1), repeat=len(p)):
            chance = math.prod(q if k else 1 - q for q, k in zip(p, kept, strict=True))
            m = sum(kept)
            pairs = sum(
                min(b, i) + min(b, m - 1 - i) for i in range(m) for b in windows
            )
            total += chance * pairs / len(windows)
    return total


@pytest.mark.parametrize(("window", "shrink_windows"), [(3, True), (2, False)])
def test_expected_pairs_equal_an_exact_count(window, shrink_windows):
    # Keep probabilities by word2vec.c's formula with sample * total = 2;
    # ids 0 and 1 are dropped and id 2 (<EOS>) ends a sentence.
    counts = [0, 0, 0, 1, 2, 4, 8, 15]
    sample = 2 / sum(counts)
    keep = {
        w: min(1.0, (math.sqrt(c / 2) + 1) * 2 / c) for w, c in enumerate(counts) if c
    }
    sequences = [[7, 6, 1, 5, 7, 2, 4, 7, 7], [3, 6, 7, 7, 6, 5, 0], [7]]
    sentences = [[7, 6, 5, 7], [4, 7, 7], [3, 6, 7, 7, 6, 5], [7]]
    expected = expected_skipgram_pairs(
        sequences, counts, window, sample, shrink_windows, (0, 1), (2,)
    )
    exact = _exact_pairs(sentences, keep, window, shrink_windows)
    assert expected == pytest.approx(exact, rel=1e-9)


@pytest.mark.parametrize(
    ("max_length", "sample", "shrink_windows", "window"),
    [(8, 1e-3, True, 5), (8, 0.05, False, 3), (3, 0.02, True, 5), (20, 0, True, 2)],
)
def test_expected_pairs_match_the_pipeline(max_length, sample, shrink_windows, window):
    # Short sequences under subsampling: most keep fewer than `window`
    # tokens, where the pairs do not grow linearly with the kept length.
    rng = np.random.default_rng(max_length)
    counts = rng.integers(1, 100, 12).astype(float)
    counts[:3] = 0
    # Id 2 (<EOS>, count 0) ends a sentence within a sequence.
    sequences = [
        rng.integers(2, 12, rng.integers(1, max_length + 1)).tolist() for _ in range(40)
    ]
    expected = expected_skipgram_pairs(
        sequences, counts, window, sample, shrink_windows, (0, 1), (2,)
    )
    passes = 1000
    dataset = skipgram_dataset(
        sequences * passes,
        counts,
        window=window,
        sample=sample,
        shrink_windows=shrink_windows,
        drop_ids=(0, 1),
        seed=1,
        batch_size=1 << 20,
    )
    seen = sum(int(center.shape[0]) for center, _ in dataset)
    assert seen / passes == pytest.approx(expected, rel=0.05)


@pytest.mark.parametrize("sample", [0, 1.0])
@pytest.mark.parametrize("form", ["list", "ragged", "dataset"])
def test_eos_ends_a_sentence_with_and_without_subsampling(sample, form):
    sequences = [[3, 4, 2, 5, 6, 2], [7, 2, 8]]
    if form == "ragged":
        sequences = tf.ragged.constant(sequences)
    elif form == "dataset":
        sequences = tf.data.Dataset.from_tensor_slices(tf.ragged.constant(sequences))
    counts = [0, 0, 0, 1, 1, 1, 1, 1, 1]
    got = _pairs(
        skipgram_dataset(sequences, counts, window=5, sample=sample, shuffle=False)
    )
    assert sorted(got) == [(3, 4), (4, 3), (5, 6), (6, 5)]


def test_without_boundary_ids_eos_is_a_word():
    got = _pairs(
        skipgram_dataset(
            [[3, 2, 4]], window=1, sample=0, shuffle=False, boundary_ids=()
        )
    )
    assert got == [(3, 2), (2, 3), (2, 4), (4, 2)]


def test_repeat_needs_two_words_in_one_sentence():
    with pytest.raises(
        ValueError,
        match=r"`repeat=True` needs .*pairs.*`boundary_ids` \(2,\)",
    ):
        skipgram_dataset([[3, 2, 4], [5]], sample=0, repeat=True)


def _random_corpus(seed, num_sequences=300):
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 50, 20).astype(float)
    counts[:3] = 0
    # Id 2 (<EOS>) ends a sentence inside a sequence; ids 0 and 1 are dropped.
    return counts, [
        rng.integers(0, 20, rng.integers(0, 30)).tolist() for _ in range(num_sequences)
    ]


@pytest.mark.parametrize("lines_per_batch", [1, 7, 256, 1000])
def test_batches_of_sequences_give_the_pairs_of_the_list(lines_per_batch):
    # Chunks hold the same sequences however the dataset batches them, so
    # a seed draws the same subsampling, windows and shuffles.
    counts, sequences = _random_corpus(0)
    batches = tf.data.Dataset.from_tensor_slices(
        tf.ragged.constant(sequences, dtype=tf.int64)
    ).ragged_batch(lines_per_batch)
    options = {"window": 3, "sample": 0.05, "batch_size": 64, "seed": 5}
    expected = _pairs(skipgram_dataset(sequences, counts, **options))
    assert len(expected) > 1000
    assert _pairs(skipgram_dataset(batches, counts, **options)) == expected
    # Repeated, the dataset is read again at each pass, endlessly.
    steps = len(expected) // 64
    repeated = _pairs(
        skipgram_dataset(batches, counts, repeat=True, **options).take(3 * steps)
    )
    assert repeated[: steps * 64] == expected[: steps * 64]
    assert len(repeated) == 3 * steps * 64


def test_dense_batches_of_sequences_are_rows():
    fixed = tf.data.Dataset.from_tensor_slices(np.array([[3, 4], [5, 6], [7, 8]]))
    got = _pairs(skipgram_dataset(fixed.batch(2), window=1, sample=0, shuffle=False))
    assert got == [(3, 4), (4, 3), (5, 6), (6, 5), (7, 8), (8, 7)]


def test_ids_of_batches_are_checked_as_read():
    batches = tf.data.Dataset.from_tensors(tf.ragged.constant([[3, 4], [5, 9]]))
    dataset = skipgram_dataset(batches, counts=[0, 0, 0, 1, 1, 1], sample=0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="`sequences` must hold"):
        list(dataset)


@pytest.mark.parametrize("lines_per_batch", [3, 4096])
def test_statistics_of_a_dataset_equal_those_of_the_list(lines_per_batch):
    counts, sequences = _random_corpus(1, num_sequences=500)
    batches = tf.data.Dataset.from_tensor_slices(
        tf.ragged.constant(sequences, dtype=tf.int64)
    ).ragged_batch(lines_per_batch)
    options = (counts, 4, 0.02, True, (0, 1), (2,))
    streamed = skipgram_statistics(batches, *options)
    assert streamed.num_tokens == sum(len(s) for s in sequences)
    assert streamed.has_pairs
    # Sums over chunks instead of one sum: equal up to rounding.
    expected = expected_skipgram_pairs(sequences, *options)
    assert streamed.expected_pairs == pytest.approx(expected, rel=1e-12)
    assert expected_skipgram_pairs(batches, *options) == streamed.expected_pairs


def test_statistics_without_pairs():
    # One word per sentence: <EOS> (2) splits, <UNK> (1) is dropped.
    sequences = [[3, 2, 4], [1, 5], []]
    batches = tf.data.Dataset.from_tensor_slices(
        tf.ragged.constant(sequences, dtype=tf.int64)
    ).ragged_batch(2)
    for corpus in (sequences, batches):
        assert skipgram_statistics(corpus, sample=0) == (5, False, 0.0)
    assert skipgram_statistics(batches.take(0), sample=0) == (0, False, 0.0)

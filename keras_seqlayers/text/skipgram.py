"""In-graph skip-gram pair generation: subsampling and shrinking windows."""

import collections
import itertools

import numpy as np
import tensorflow as tf

from keras_seqlayers.checks import (
    check_bool,
    check_id_list,
    check_nonnegative_counts,
    check_number,
    check_positive_int,
    check_seed,
)
from keras_seqlayers.text._prefetch import prefetch_untuned
from keras_seqlayers.text.corpus import STREAM_BATCH_LINES
from keras_seqlayers.tokens import DEFAULT_BOUNDARY_IDS, DEFAULT_DROP_IDS


def is_dataset(x):
    """Whether `x` is a `tf.data.Dataset` (lets TF-free code ask)."""
    return isinstance(x, tf.data.Dataset)


def _graph_only(fn):
    """Marks a `Dataset.map` function as plain graph code (no AutoGraph).

    These functions have no Python control flow on tensors, and AutoGraph's
    source conversion costs about 0.1 s per function every time a pipeline
    is built (once per `Word2Vec.fit`).
    """
    return tf.autograph.experimental.do_not_convert(fn)


def keep_probabilities(counts, sample=1e-3):
    """word2vec's subsampling keep probability per id.

    `p_keep(w) = sqrt(t / f(w)) + t / f(w)` with `f(w) = count(w) / total`
    and `t = sample`, capped at 1 (word2vec.c and gensim use the same rule).
    Ids with count 0 get probability 0 (they never occur). `sample=0`
    keeps everything.

    Args:
        counts: 1-D array of non-negative counts indexed by id.
        sample: the threshold `t` (>= 0).

    Returns:
        A float64 array of keep probabilities.

    Raises:
        TypeError: `counts` are not numbers, or `sample` is not a number.
        ValueError: `counts` is not a non-empty 1-D array of finite
            counts >= 0, not all zero (the message names the first bad count
            and its index), or `sample` is negative, NaN or infinite.
    """
    counts = check_nonnegative_counts(counts)
    sample = check_number("sample", sample)
    if sample == 0:
        return np.where(counts > 0, 1.0, 0.0)
    freq = counts / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = sample / freq
        keep = np.sqrt(ratio) + ratio
    return np.where(counts > 0, np.minimum(keep, 1.0), 0.0)


def skipgram_pairs(ids, row_ids, window, shrink_windows, seed):
    """All (center, context) positions of a chunk of sequences, in-graph.

    Args:
        ids: 1-D int tensor, the tokens of several sequences concatenated.
        row_ids: 1-D int tensor, which sequence each token belongs to
            (non-decreasing).
        window: maximum distance between center and context (int >= 1).
        shrink_windows: draw each center's window uniformly from
            `[1, window]` (word2vec's `b = rand() % window`); else use
            `window` for every center.
        seed: a shape-`(2,)` int tensor for the stateless draw.

    Returns:
        `(centers, contexts, windows)`: the pair ids (1-D, in corpus order:
        center by center, contexts left to right) and the effective window
        of every token.
    """
    n = tf.shape(ids)[0]
    if shrink_windows:
        windows = tf.random.stateless_uniform(
            [n], seed, minval=1, maxval=window + 1, dtype=tf.int32
        )
    else:
        windows = tf.fill([n], tf.constant(window, tf.int32))
    offsets = tf.constant(
        list(range(-window, 0)) + list(range(1, window + 1)), tf.int32
    )
    positions = tf.range(n)[:, None] + offsets[None, :]
    inside = (positions >= 0) & (positions < n)
    safe = tf.clip_by_value(positions, 0, tf.maximum(n - 1, 0))
    same_row = tf.gather(row_ids, safe) == row_ids[:, None]
    near = tf.abs(offsets)[None, :] <= windows[:, None]
    valid = inside & same_row & near
    centers = tf.broadcast_to(ids[:, None], tf.shape(positions))
    contexts = tf.gather(ids, safe)
    return (
        tf.boolean_mask(centers, valid),
        tf.boolean_mask(contexts, valid),
        windows,
    )


def _sentences(sequences, drop_ids, boundary_ids):
    """The ids windows see, with the number of the sentence of each.

    Ids in `drop_ids` are removed; ids in `boundary_ids` end a sentence and
    are removed. Sentences with no id left are not numbered.

    Args:
        sequences: a list of 1-D id arrays, or a `tf.RaggedTensor`.
        drop_ids, boundary_ids: as for `skipgram_dataset`.

    Returns:
        `(ids, sentence)`, two int64 arrays of the same length, `sentence`
        non-decreasing from 0.
    """
    if isinstance(sequences, tf.RaggedTensor):
        flat = sequences.flat_values.numpy().astype(np.int64)
        lengths = np.diff(sequences.row_splits.numpy())
    else:
        lengths = [len(s) for s in sequences]
        flat = np.fromiter(itertools.chain.from_iterable(sequences), np.int64)
    at_boundary = np.isin(flat, list(boundary_ids))
    sentence = np.repeat(np.arange(len(lengths)), lengths) + np.cumsum(at_boundary)
    kept = ~(at_boundary | np.isin(flat, list(drop_ids)))
    _, sentence = np.unique(sentence[kept], return_inverse=True)
    return flat[kept], sentence.astype(np.int64)


def has_pairs(sequences, drop_ids, boundary_ids=()):
    """Whether some sentence holds two tokens outside `drop_ids`.

    Subsampling keeps every word with a probability above 0, so such a
    corpus yields pairs sooner or later; a corpus without one never does.

    Args:
        sequences: a list of 1-D id arrays, or a `tf.RaggedTensor`.
        drop_ids: ids that are removed before windowing.
        boundary_ids: ids that end a sentence.
    """
    _, sentence = _sentences(sequences, drop_ids, boundary_ids)
    return bool(np.any(np.bincount(sentence) >= 2))


def _id_array(sequence, index):
    """One sequence of a list corpus as int64 ids; non-integers are an error."""
    ids = np.asarray(sequence)
    if ids.size and ids.dtype.kind not in "iu":
        raise TypeError(
            "`sequences` must hold integer token ids; received "
            f"{ids.dtype} values in sequences[{index}]."
        )
    return ids.astype(np.int64).ravel()


def _allowed_ids(vocab_size):
    if vocab_size is None:
        return "ids >= 0 (or in `drop_ids` or `boundary_ids`)"
    return (
        f"ids in [0, {vocab_size}) (the length of `counts`; or in `drop_ids` "
        "or `boundary_ids`)"
    )


def _check_id_range(flat, splits, vocab_size, removed):
    """Raises for the first id below 0 or, with counts, not below their length.

    Ids in `removed` (dropped or boundaries) never reach a window.
    """
    bad = flat < 0
    if vocab_size is not None:
        bad |= flat >= vocab_size
    bad &= ~np.isin(flat, list(removed))
    if bad.any():
        position = int(np.argmax(bad))
        row = int(np.searchsorted(splits, position, side="right")) - 1
        raise ValueError(
            f"`sequences` must hold {_allowed_ids(vocab_size)}; received id "
            f"{flat[position]} at sequences[{row}][{position - splits[row]}]."
        )


def skipgram_dataset(
    sequences,
    counts=None,
    window=5,
    sample=1e-3,
    shrink_windows=True,
    batch_size=1024,
    sequences_per_chunk=256,
    shuffle=True,
    drop_ids=DEFAULT_DROP_IDS,
    boundary_ids=DEFAULT_BOUNDARY_IDS,
    repeat=False,
    seed=None,
    model_inputs=False,
):
    """A `tf.data` pipeline from token-id sequences to skip-gram batches.

    Per chunk of `sequences_per_chunk` sequences, entirely in-graph:
    1. ids in `drop_ids` (by default `<PAD>` and `<UNK>`) are removed, as
       word2vec removes out-of-vocabulary words before windowing, and ids
       in `boundary_ids` (by default `<EOS>`) end a sentence: they are
       removed and no window reaches across them;
    2. each token is kept with word2vec's probability
       `sqrt(t/f) + t/f` (`t = sample`, `f` its corpus frequency), and
       dropped words are removed before windowing (so windows reach
       further, as in word2vec);
    3. each center's window is drawn uniformly from `[1, window]`
       (`shrink_windows=True`, as gensim) and all `(center, context)`
       pairs within it and within the same sentence are emitted;
    4. the chunk's pairs are shuffled (`shuffle=True`), then batched.

    Randomness comes from `tf.data.Dataset.random(seed)` and stateless ops,
    so a fixed `seed` gives the same stream, and each new iteration (epoch)
    draws afresh.

    Args:
        sequences: a list of lists of ints, a `tf.RaggedTensor`, or a
            `tf.data.Dataset` of 1-D integer tensors (one sequence each) or
            of 2-D batches of sequences (`tf.RaggedTensor` or dense rows,
            as `Vocabulary.encode_dataset(..., batch_size=n)` yields; a
            corpus in files is then read a batch of lines at a time, and
            again at each pass). Ids must be >= 0 and, with `counts`,
            below their length, unless they are in `drop_ids` or
            `boundary_ids`: a list or ragged corpus is checked here, a
            dataset as it is read (an `InvalidArgumentError` naming
            `sequences`).
        counts: per-id corpus counts (e.g. `Vocabulary.counts`); required
            when `sample > 0`.
        window: maximum window size (int >= 1).
        sample: subsampling threshold `t` (0 disables).
        shrink_windows: draw the window per center from `[1, window]`.
        batch_size: pairs per batch (int >= 1); the last batch may be
            smaller.
        sequences_per_chunk: how many sequences are windowed together (a
            Python or NumPy int >= 1).
        shuffle: shuffle the pairs within each chunk.
        drop_ids: ids removed before windowing.
        boundary_ids: ids that end a sentence within a sequence: removed,
            and no pair joins the words before one with the words after.
            Default `(2,)`: the `<EOS>` id of `ksl.text.Vocabulary` (as
            `cooccurrence` treats it).
        repeat: cycle through the corpus forever (each pass draws afresh);
            every batch then has exactly `batch_size` pairs, which suits
            `fit(..., steps_per_epoch=...)` and XLA's static shapes.
        seed: int or `None`.
        model_inputs: yield `((centers, contexts),)` instead of
            `(centers, contexts)`: the structure `keras.Model.fit` takes for
            a model whose only input is the pair (such as
            `keras_seqlayers.models.Word2Vec`).

    Returns:
        A `tf.data.Dataset` of `(centers, contexts)` int64 batches, each of
        shape `(batch,)` (nested as `((centers, contexts),)` when
        `model_inputs=True`). Its options turn tf.data's autotuning off,
        and options carry on to what you chain after it: give a later
        `map(..., num_parallel_calls=...)` a number, not `AUTOTUNE`.

    Raises:
        ValueError: `window`, `batch_size` or `sequences_per_chunk` is < 1,
            `sample` is negative, NaN or infinite, `counts` is missing while
            `sample > 0` (or not a valid count array), a list or ragged
            corpus holds an id outside the range above, or a list corpus
            holds no token, or, with `repeat=True`, a list or ragged corpus
            has no sentence with two tokens outside `drop_ids` (the endless
            dataset would never yield; a dataset corpus is not read ahead).
        TypeError: `window`, `batch_size` or `sequences_per_chunk` is not an
            integer, `sample` is not a number, `counts` are not numbers,
            the token ids are not integers, `drop_ids` or `boundary_ids` is
            not a list or tuple of integers, `seed` is not an int or None, or
            `shrink_windows`, `shuffle`, `repeat` or `model_inputs` is not a
            bool.

    Example:

    >>> ds = skipgram_dataset([[3, 4, 5]], window=1, sample=0, shuffle=False)
    >>> [(int(c), int(x)) for c, x in zip(*next(iter(ds)))]
    [(3, 4), (4, 3), (4, 5), (5, 4)]
    """
    window = check_positive_int("window", window)
    sequences_per_chunk = check_positive_int("sequences_per_chunk", sequences_per_chunk)
    batch_size = check_positive_int("batch_size", batch_size)
    sample = check_number("sample", sample)
    shrink_windows = check_bool("shrink_windows", shrink_windows)
    shuffle = check_bool("shuffle", shuffle)
    repeat = check_bool("repeat", repeat)
    model_inputs = check_bool("model_inputs", model_inputs)
    seed = check_seed(seed)
    drop_ids = check_id_list("drop_ids", drop_ids)
    boundary_ids = check_id_list("boundary_ids", boundary_ids)
    if sample > 0 and counts is None:
        raise ValueError("`counts` is required when `sample` > 0.")
    vocab_size = None if counts is None else check_nonnegative_counts(counts).size

    if isinstance(sequences, tf.data.Dataset):
        ds = _dataset_chunks(
            sequences, vocab_size, drop_ids + boundary_ids, sequences_per_chunk
        )
    else:
        ds = _corpus_chunks(
            sequences, vocab_size, drop_ids, boundary_ids, repeat, sequences_per_chunk
        )
    if repeat:
        ds = ds.repeat()
    keep = keep_probabilities(counts, sample) if sample > 0 else None
    make_pairs = _pair_maker(
        keep, drop_ids, boundary_ids, window, shrink_windows, shuffle
    )
    ds = tf.data.Dataset.zip((ds, _seed_triples(seed))).map(make_pairs)
    # Carry the remainder of each chunk into the next batch, so every pair is
    # used and batches have exactly `batch_size` pairs (but the last one).
    ds = ds.rebatch(batch_size)
    if model_inputs:
        ds = ds.map(_graph_only(lambda c, t: ((c, t),)))
    return prefetch_untuned(ds)


def _dataset_chunks(sequences, vocab_size, removed, sequences_per_chunk, regroup=True):
    """A dataset corpus as ragged chunks of sequences, its ids checked as read.

    Sequences come one per element or in 2-D batches; either way a chunk
    holds the same `sequences_per_chunk` consecutive sequences as for the
    corpus in memory, so a seed draws the same pairs from both. With
    `regroup=False`, 2-D batches are the chunks as they come.
    """
    spec = sequences.element_spec
    dtype = getattr(spec, "dtype", None)
    if dtype is None or not dtype.is_integer:
        raise TypeError(
            "`sequences` must be a dataset of integer token-id tensors; "
            f"received element_spec={spec}."
        )
    batched = spec.shape.rank == 2

    @_graph_only
    def checked(ids):
        ids = tf.cast(ids, tf.int64)
        values = ids.flat_values if isinstance(ids, tf.RaggedTensor) else ids
        bad = values < 0
        if vocab_size is not None:
            bad |= values >= vocab_size
        bad &= tf.reduce_all(
            values[..., None] != tf.constant(removed, tf.int64, [len(removed)]),
            axis=-1,
        )
        check = tf.debugging.assert_equal(
            tf.reduce_any(bad),
            False,
            message=f"`sequences` must hold {_allowed_ids(vocab_size)}",
        )
        with tf.control_dependencies([check]):
            return tf.identity(ids)

    ds = sequences.map(checked)
    if not batched:
        ds = ds.ragged_batch(sequences_per_chunk)
    if not isinstance(ds.element_spec, tf.RaggedTensorSpec):
        # Sequences of one fixed length batch into a dense tensor.
        ds = ds.map(_graph_only(tf.RaggedTensor.from_tensor))
    if batched and regroup:
        # Whole batches regrouped, without splitting them into sequences
        # (tf.data work per sequence would cost more than the pairs).
        ds = ds.rebatch(sequences_per_chunk)
    return ds


def _corpus_chunks(
    sequences, vocab_size, drop_ids, boundary_ids, repeat, sequences_per_chunk
):
    """A list or ragged corpus, checked, as a dataset of ragged chunks."""
    flat, splits = _flat_corpus(sequences, vocab_size, drop_ids + boundary_ids)
    # The corpus as one ragged tensor of the ids already flattened (not
    # the list again, whose arrays NumPy would read id by id).
    corpus = tf.RaggedTensor.from_row_splits(flat, splits, validate=False)
    if repeat and not has_pairs(corpus, drop_ids, boundary_ids):
        # An endless dataset without pairs would never yield a batch.
        raise ValueError(
            "`repeat=True` needs a corpus with skip-gram pairs; no "
            f"sentence holds two tokens outside `drop_ids` {drop_ids} "
            "(a sentence ends with its sequence or at an id in "
            f"`boundary_ids` {boundary_ids})."
        )
    num_rows = tf.shape(splits, tf.int64)[0] - 1
    chunk = tf.constant(sequences_per_chunk, tf.int64)

    @_graph_only
    def rows(i):
        # One chunk of whole sequences, sliced without per-row work.
        first = i * chunk
        last = tf.minimum(first + chunk, num_rows)
        local = splits[first : last + 1]
        return tf.RaggedTensor.from_row_splits(
            flat[local[0] : local[-1]], local - local[0], validate=False
        )

    return tf.data.Dataset.range((num_rows + chunk - 1) // chunk).map(rows)


def _flat_corpus(sequences, vocab_size, removed):
    """A list or ragged corpus as flat int64 ids and row splits, ids checked."""
    if isinstance(sequences, tf.RaggedTensor):
        if not sequences.dtype.is_integer:
            raise TypeError(
                "`sequences` must hold integer token ids; received a "
                f"ragged tensor of {sequences.dtype.name}."
            )
        flat = tf.cast(sequences.flat_values, tf.int64)
        splits = tf.cast(sequences.row_splits, tf.int64)
        _check_id_range(flat.numpy(), splits.numpy(), vocab_size, removed)
        return flat, splits
    sequences = [_id_array(s, k) for k, s in enumerate(sequences)]
    lengths = [len(s) for s in sequences]
    if not sum(lengths):
        raise ValueError("The corpus is empty: no sequence has a token.")
    flat = np.concatenate(sequences)
    splits = np.concatenate([[0], np.cumsum(lengths)])
    _check_id_range(flat, splits, vocab_size, removed)
    return tf.constant(flat), tf.constant(splits, tf.int64)


def _seed_triples(seed):
    """An endless dataset of three stateless seeds per chunk.

    `tf.data.Dataset.random` draws afresh at every iteration (epoch).
    """
    return (
        tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
        .batch(6)
        .map(_graph_only(lambda r: tf.reshape(r, [3, 2])))
    )


def _pair_maker(keep, drop_ids, boundary_ids, window, shrink_windows, shuffle):
    """The map from a ragged chunk and its seeds to the chunk's pairs.

    Removes dropped and boundary ids (boundaries end a sentence),
    subsamples with the keep probabilities `keep` (or none), pairs each
    center with its window and shuffles the pairs.
    """
    if keep is not None:
        keep = tf.constant(keep, tf.float32)
    drop = tf.constant(drop_ids, tf.int64, [len(drop_ids)])
    boundary = tf.constant(boundary_ids, tf.int64, [len(boundary_ids)])

    @_graph_only
    def make_pairs(batch, seeds):
        ids = batch.flat_values
        at_boundary = tf.reduce_any(ids[:, None] == boundary[None, :], axis=1)
        # Row ids and the running count of boundaries both never decrease,
        # and one of them grows at every sentence end: their sum numbers
        # the sentences.
        row_ids = batch.value_rowids() + tf.cumsum(tf.cast(at_boundary, tf.int64))
        wanted = ~at_boundary & tf.reduce_all(ids[:, None] != drop[None, :], axis=1)
        if keep is not None:
            u = tf.random.stateless_uniform(tf.shape(ids), seeds[0])
            # Removed ids need no keep probability (and may be outside it).
            wanted &= u < tf.gather(keep, tf.where(wanted, ids, 0))
        ids = tf.boolean_mask(ids, wanted)
        row_ids = tf.boolean_mask(row_ids, wanted)
        centers, contexts, _ = skipgram_pairs(
            ids, row_ids, window, shrink_windows, seeds[1]
        )
        if shuffle:
            order = tf.random.experimental.stateless_shuffle(
                tf.range(tf.shape(centers)[0]), seeds[2]
            )
            centers = tf.gather(centers, order)
            contexts = tf.gather(contexts, order)
        return centers, contexts

    return make_pairs


def _short_length_probabilities(probs, sentence, limit, chunk=256):
    """`P(n = k)` for `k < limit`, per sentence, `n` its number of kept tokens.

    `n` is a sum of independent Bernoulli draws (one per token, with its
    keep probability `probs`); its distribution is built token by token,
    keeping only the counts below `limit`, until less than 1e-12 of it is
    left there (later tokens only lower it). Sentences (numbered by
    `sentence`, non-decreasing) go in chunks of similar length.
    """
    lengths = np.bincount(sentence)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    position = np.arange(len(sentence)) - starts[sentence]
    rank = np.empty_like(lengths)
    rank[np.argsort(lengths, kind="stable")] = np.arange(len(lengths))
    token_rank = rank[sentence]
    order = np.argsort(token_rank, kind="stable")
    token_rank, position, probs = token_rank[order], position[order], probs[order]
    by_rank = np.sort(lengths)
    out = np.zeros((len(lengths), limit))
    for first in range(0, len(lengths), chunk):
        rows = min(chunk, len(lengths) - first)
        lo, hi = np.searchsorted(token_rank, [first, first + rows])
        matrix = np.zeros((rows, by_rank[first + rows - 1]))
        matrix[token_rank[lo:hi] - first, position[lo:hi]] = probs[lo:hi]
        dist = np.zeros((rows, limit))
        dist[:, 0] = 1.0
        for column, p in enumerate(matrix.T):
            if column % 16 == 0 and dist.sum(axis=1).max() < 1e-12:
                break
            p = p[:, None]
            moved = dist[:, :-1] * p
            dist *= 1 - p
            dist[:, 1:] += moved
        out[first : first + rows] = dist
    return out[rank]


def expected_skipgram_pairs(
    sequences,
    counts=None,
    window=5,
    sample=1e-3,
    shrink_windows=True,
    drop_ids=DEFAULT_DROP_IDS,
    boundary_ids=DEFAULT_BOUNDARY_IDS,
):
    """Expected number of pairs `skipgram_dataset` yields per pass.

    A sentence that keeps `n` tokens after dropping and subsampling yields
    `C(n)` pairs in expectation over the window draws, and `C` is linear
    from `n = window` on; so the expectation over the kept length is `C` at
    the mean length plus a correction from the probabilities of the lengths
    below `window`, computed exactly. Used to size epochs and learning-rate
    schedules.

    Args:
        sequences: a list of 1-D id arrays, a `tf.RaggedTensor`, or a
            `tf.data.Dataset` of them as `skipgram_dataset` takes (read
            once, a batch of sequences at a time).
        counts, window, sample, shrink_windows, drop_ids, boundary_ids: as
            for `skipgram_dataset`.

    Returns:
        A float.

    Example:

    >>> expected_skipgram_pairs([[3, 4, 5]], window=1, sample=0)
    4.0
    """
    return skipgram_statistics(
        sequences, counts, window, sample, shrink_windows, drop_ids, boundary_ids
    ).expected_pairs


SkipgramStatistics = collections.namedtuple(
    "SkipgramStatistics", ["num_tokens", "has_pairs", "expected_pairs"]
)


def skipgram_statistics(
    sequences,
    counts=None,
    window=5,
    sample=1e-3,
    shrink_windows=True,
    drop_ids=DEFAULT_DROP_IDS,
    boundary_ids=DEFAULT_BOUNDARY_IDS,
):
    """What training on a corpus needs to know first, in one pass over it.

    A dataset is read once, a batch of sequences at a time (one sequence
    per element is batched), so a corpus in files is never all in memory.
    No sentence spans two sequences, so the sums over the batches are the
    corpus's (up to float rounding in `expected_pairs`).

    Args:
        sequences: as for `expected_skipgram_pairs`.
        counts, window, sample, shrink_windows, drop_ids, boundary_ids: as
            for `skipgram_dataset`.

    Returns:
        A `SkipgramStatistics`: `num_tokens`, the ids in the corpus (dropped
        and boundary ids included); `has_pairs`, as `has_pairs`; and
        `expected_pairs`, as `expected_skipgram_pairs`.

    Raises:
        TypeError: a dataset does not yield integer ids.
        tf.errors.InvalidArgumentError: a dataset holds an id outside the
            range `skipgram_dataset` allows.
    """
    if isinstance(sequences, tf.data.Dataset):
        vocab_size = None if counts is None else check_nonnegative_counts(counts).size
        chunks = _dataset_chunks(
            sequences,
            vocab_size,
            tuple(drop_ids) + tuple(boundary_ids),
            STREAM_BATCH_LINES,
            regroup=False,
        )
    else:
        chunks = [sequences]
    num_tokens, pairs_found, expected = 0, False, 0.0
    for chunk in chunks:
        ids, sentence = _sentences(chunk, drop_ids, boundary_ids)
        if isinstance(chunk, tf.RaggedTensor):
            num_tokens += int(chunk.flat_values.shape[0])
        else:
            num_tokens += sum(len(s) for s in chunk)
        pairs_found = pairs_found or bool(np.any(np.bincount(sentence) >= 2))
        expected += _expected_pairs(
            ids, sentence, counts, window, sample, shrink_windows
        )
    return SkipgramStatistics(num_tokens, pairs_found, expected)


def _expected_pairs(ids, sentence, counts, window, sample, shrink_windows):
    """`expected_skipgram_pairs` of the sentences `_sentences` numbered."""
    if not ids.size:
        return 0.0
    probs = keep_probabilities(counts, sample)[ids] if sample > 0 else np.ones(ids.size)
    i = np.arange(window + 1)
    b = np.arange(1, window + 1) if shrink_windows else np.array([window])
    # g(i): expected number of contexts on one side of a token i away from
    # the sequence edge (constant from i = window on); a sequence keeping n
    # tokens has C(n) = 2 * sum_{i<n} g(i) pairs.
    g = np.minimum(b[None, :], i[:, None]).mean(axis=1)
    pairs = 2 * np.concatenate([[0.0], np.cumsum(g)])
    slope = 2 * g[window]

    def linear(n):  # C(n) for n >= window, extended below it
        return pairs[window] + slope * (n - window)

    means = np.bincount(sentence, weights=probs)
    below = _short_length_probabilities(probs, sentence, window)
    correction = below @ (pairs[:window] - linear(np.arange(window)))
    return float(np.sum(linear(means) + correction))


def check_pair_ids(dataset, low, high, marker):
    """`dataset` of `((center, context), ...)` elements, its ids checked.

    The check runs in the input pipeline (not in a compiled step: XLA drops
    assertions): an id that is not a whole number in `[low, high)` stops
    the pipeline with an `InvalidArgumentError` whose message holds
    `marker` followed by the first bad id in brackets. A dataset whose
    elements are not such tuples is returned as it is (Keras says what is
    wrong with it).
    """

    def check(ids):
        ids = tf.convert_to_tensor(ids)
        bad = tf.logical_or(
            ids < tf.cast(low, ids.dtype), ids >= tf.cast(high, ids.dtype)
        )
        if ids.dtype.is_floating:
            bad = tf.logical_or(bad, tf.math.floor(ids) != ids)
        first = tf.boolean_mask(ids, bad)[:1]
        tf.debugging.Assert(
            tf.logical_not(tf.reduce_any(bad)),
            [tf.strings.format(marker + "{}", first)],
        )
        return ids

    def check_element(x, *rest):
        if isinstance(x, (tuple, list)) and len(x) == 2:
            x = type(x)(check(ids) for ids in x)
        return (x, *rest)

    if not isinstance(dataset.element_spec, tuple):
        return dataset
    return dataset.map(check_element)

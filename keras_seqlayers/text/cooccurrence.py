"""Word-word co-occurrence counts for GloVe, built from token-id sequences.

The counts are accumulated chunk by chunk with NumPy: for every window offset
`d` the pairs `(token[t], token[t - d])` of a chunk are formed at once as
integer keys `i * V + j`. Pairs of two frequent words (ids below a small
limit) are added into a small dense table with `np.bincount`; all other pairs
are reduced with one sort per chunk and merged with the running total. A
chunk is whole documents (rows of a 2-D or ragged input) or a piece of a long
document, counted after the `window` ids before it as context. Memory is
bounded by the chunk size plus the number of distinct pairs; no dense `V x V`
matrix is ever made for a large vocabulary.
"""

import collections
import collections.abc
import concurrent.futures
import numbers
import time

import keras
import numpy as np
import tensorflow as tf

from keras_seqlayers._random import numpy_generator
from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_id_list,
    check_nonnegative_int,
    check_positive_int,
    check_seed,
    is_integer,
    is_real_dtype,
)
from keras_seqlayers.text._prefetch import prefetch_untuned
from keras_seqlayers.tokens import DEFAULT_BOUNDARY_IDS, DEFAULT_DROP_IDS

_WEIGHTINGS = ("harmonic", "uniform")


class CooccurrenceMatrix:
    """A sparse word-word co-occurrence matrix `X` in coordinate form.

    Entry `(rows[k], cols[k])` holds `values[k] = X_ij > 0`; entries not listed
    are zero. Rows are center words `i`, columns context words `j`. Pairs are
    unique, in no particular order.

    Args:
        rows: 1-D integer array of row ids `i`.
        cols: 1-D integer array of column ids `j`, same length.
        values: 1-D array of counts `X_ij`, same length: numbers (not
            bools, strings or complex), finite and `>= 0`. Zero entries are
            dropped.
        vocab_size: the number of rows and columns, `V`.

    Example:

    >>> X = CooccurrenceMatrix([0, 1], [1, 0], [2.0, 2.0], vocab_size=3)
    >>> X.to_dense()
    array([[0., 2., 0.],
           [2., 0., 0.],
           [0., 0., 0.]])
    """

    def __init__(self, rows, cols, values, vocab_size):
        vocab_size = check_positive_int("vocab_size", vocab_size)
        rows = np.asarray(rows)
        cols = np.asarray(cols)
        values = np.asarray(values)
        if values.size and not _real_numbers(values):
            raise TypeError(
                "`values` must hold real numbers (counts); received dtype "
                f"{values.dtype}."
            )
        values = values.astype("float64")
        if rows.ndim != 1 or rows.shape != cols.shape or rows.shape != values.shape:
            raise ValueError(
                "`rows`, `cols` and `values` must be 1-D arrays of one length; "
                f"received shapes {rows.shape}, {cols.shape} and {values.shape}."
            )
        for name, ids in (("rows", rows), ("cols", cols)):
            if ids.size and not np.issubdtype(ids.dtype, np.integer):
                raise TypeError(
                    f"`{name}` must hold integer ids; received dtype {ids.dtype}."
                )
            _check_ids(name, ids, vocab_size)
        if values.size and not np.all(np.isfinite(values)):
            raise ValueError("`values` must be finite; received NaN or inf.")
        if values.size and values.min() < 0:
            raise ValueError(
                "`values` must be co-occurrence counts `>= 0`; received a "
                f"negative count {values.min()}."
            )
        keys = rows.astype("int64") * vocab_size + cols.astype("int64")
        keep = values > 0
        keys, values = _sum_duplicates(keys[keep], values[keep])
        self.vocab_size = vocab_size
        self.rows = keys // vocab_size
        self.cols = keys % vocab_size
        self.values = values

    @property
    def nnz(self):
        """The number of non-zero entries."""
        return int(self.values.size)

    def __len__(self):
        return self.nnz

    def __repr__(self):
        return (
            f"CooccurrenceMatrix(vocab_size={self.vocab_size}, nnz={self.nnz}, "
            f"total={self.values.sum():.6g})"
        )

    def to_dense(self):
        """Returns `X` as a dense `(V, V)` float64 NumPy array (small V only)."""
        dense = np.zeros((self.vocab_size, self.vocab_size))
        dense[self.rows, self.cols] = self.values
        return dense

    def to_sparse_tensor(self, dtype="float32"):
        """Returns `X` as a `tf.SparseTensor` of shape `(V, V)`.

        Its entries are in row-major order, as TensorFlow's sparse ops
        expect (no `tf.sparse.reorder` needed).
        """
        order = np.lexsort((self.cols, self.rows))
        return tf.SparseTensor(
            indices=np.stack([self.rows[order], self.cols[order]], axis=1),
            values=tf.constant(self.values[order], dtype=dtype),
            dense_shape=(self.vocab_size, self.vocab_size),
        )

    def dataset(self, batch_size=1024, shuffle=True, seed=None, drop_remainder=False):
        """Returns a `tf.data.Dataset` of `((i, j), X_ij)` batches for `fit`.

        Each element is `((i, j), x)` with `i`, `j` int32 of shape `(batch,)`
        and `x` float32 of shape `(batch,)`: inputs then target, the layout
        `keras.Model.fit` expects. One pass over the dataset is one epoch over
        every non-zero entry. With `shuffle=True` the pairs are shuffled once,
        uniformly; each pass then starts that order at a random offset
        (wrapping around), cuts it into batches and visits them in random
        order, the last, smaller batch (or the only one) shuffled within: a
        new order, with new batches, every pass (reproducibly when `seed` is
        given), for about two copies of the pairs per pass rather than a
        permutation of them all. A batch is a stretch of the base order, and
        the smaller batch comes last.

        Args:
            batch_size: pairs per batch, `>= 1`.
            shuffle: whether to shuffle the pairs, anew at every pass.
            seed: optional integer seed of the shuffling (None: drawn from
                Python's `random`, which `keras.utils.set_random_seed` seeds).
            drop_remainder: drop the last, smaller batch.

        Returns:
            A `tf.data.Dataset`. Its options turn tf.data's autotuning off,
            and options carry on to what you chain after it: give a later
            `map(..., num_parallel_calls=...)` a number, not `AUTOTUNE`.

        Raises:
            TypeError: `batch_size` is not an integer, `shuffle` or
                `drop_remainder` is not a bool, or `seed` is not an int or
                None.
            ValueError: `batch_size` is < 1, or the matrix is empty.
        """
        batch_size = check_positive_int("batch_size", batch_size)
        shuffle = check_bool("shuffle", shuffle)
        drop_remainder = check_bool("drop_remainder", drop_remainder)
        seed = check_seed(seed)
        n = self.nnz
        if n == 0:
            raise ValueError(
                "The co-occurrence matrix is empty (nnz=0, vocab_size="
                f"{self.vocab_size}); nothing to train."
            )
        rows = tf.constant(self.rows, dtype="int32")
        cols = tf.constant(self.cols, dtype="int32")
        values = tf.constant(self.values, dtype="float32")
        if shuffle:
            # The base order: one uniform shuffle, drawn now.
            if seed is None:
                base_seed = numpy_generator().integers(2**31, size=2)
            else:
                base_seed = [seed, 0]
            order = tf.random.experimental.stateless_shuffle(tf.range(n), base_seed)
            rows, cols, values = (tf.gather(t, order) for t in (rows, cols, values))
        full = n // batch_size

        def batches(arrays, block_order=None, tail_order=None):
            # Whole batches are slices of the arrays (in `block_order` when
            # given), so tf.data's per-batch work is a slice.
            def head(t):
                blocks = tf.reshape(t[: full * batch_size], (full, batch_size))
                return blocks if block_order is None else tf.gather(blocks, block_order)

            def tail(t):
                rest = t[full * batch_size :]
                return rest if tail_order is None else tf.gather(rest, tail_order)

            i, j, x = arrays
            ds = tf.data.Dataset.from_tensor_slices(((head(i), head(j)), head(x)))
            if not drop_remainder and full * batch_size < n:
                ds = ds.concatenate(
                    tf.data.Dataset.from_tensors(((tail(i), tail(j)), tail(x)))
                )
            return ds

        def one_pass(s):
            # The base order rotated by a random offset, cut into batches,
            # the batches in random order, the last (smaller) one shuffled
            # within (all of them when there is one batch): new batches
            # every pass, for about two copies of the arrays (a permutation
            # of every pair per pass cost 5-10 times that and held up the
            # first batch).
            def key(k):
                return tf.stack([s, tf.constant(k, "int64")])

            offset = tf.random.stateless_uniform(
                (), seed=key(0), maxval=n, dtype="int64"
            )
            rotated = [tf.roll(t, -offset, axis=0) for t in (rows, cols, values)]
            block_order = tf.random.experimental.stateless_shuffle(
                tf.range(full), seed=key(1)
            )
            tail_order = tf.random.experimental.stateless_shuffle(
                tf.range(n - full * batch_size), seed=key(2)
            )
            return batches(rotated, block_order, tail_order)

        if shuffle:
            # A new seed per pass from `Dataset.random`: a different order
            # every epoch, reproducible with `seed`.
            seeds = tf.data.Dataset.random(
                seed=seed, rerandomize_each_iteration=True
            ).take(1)
            ds = seeds.flat_map(one_pass)
        else:
            ds = batches((rows, cols, values))
        # flat_map hides the length; stating it lets `fit` show progress.
        num_batches = full if drop_remainder else -(-n // batch_size)
        ds = ds.apply(tf.data.experimental.assert_cardinality(num_batches))
        return prefetch_untuned(ds)


def cooccurrence(
    sequences,
    vocab_size,
    *,
    window=10,
    symmetric=True,
    weighting="harmonic",
    ignore_ids=DEFAULT_DROP_IDS,
    boundary_ids=DEFAULT_BOUNDARY_IDS,
    chunk_tokens=None,
    dense_limit=2048,
    num_threads=1,
    verbose="auto",
):
    """Counts word-word co-occurrences `X_ij` from token-id sequences.

    For a center word `i` at position `t`, every context word `j` at position
    `t - d` (and `t + d` when `symmetric`), `1 <= d <= window`, in the same
    document adds `1 / d` to `X_ij` (`weighting="harmonic"`, as GloVe) or `1`
    (`weighting="uniform"`). Ids in `ignore_ids` (`<PAD>`, `<UNK>`) are removed
    before windowing, as GloVe and word2vec drop out-of-vocabulary words, so
    they neither count nor take up window positions. Windows never cross
    document boundaries: each sequence is a document, and an id in
    `boundary_ids` (for example `<EOS>`) also ends one and is not counted.

    With `symmetric=True`, `X` is symmetric; with `symmetric=False` only
    left context is counted (`j` precedes `i`).

    Work runs in chunks of about `chunk_tokens` tokens (a long document, or
    a long 1-D array, is cut into pieces), so memory stays bounded by the
    chunk plus the distinct pairs found, however large the corpus; a progress
    bar shows on long runs.

    Args:
        sequences: the corpus as token ids: a 2-D array (rows are documents,
            padding with an id in `ignore_ids`), a 1-D array (one document), a
            `tf.RaggedTensor`, an iterable of 1-D sequences, or a
            `tf.data.Dataset` of 1-D documents or 2-D (dense or ragged)
            batches of documents.
        vocab_size: the number of ids, `V`; every id must be in `[0, V)`.
        window: context size on each side, integer `>= 1`. Default 10.
        symmetric: count right context too (default) or left context only.
        weighting: `"harmonic"` (a pair `d` apart adds `1/d`, GloVe's default)
            or `"uniform"` (adds 1).
        ignore_ids: ids removed before windowing. Default `(0, 1)`: the
            `<PAD>` and `<UNK>` ids of `ksl.text.Vocabulary`.
        boundary_ids: ids that end a document and are not counted. Default
            `(2,)`: the `<EOS>` id of `ksl.text.Vocabulary`.
        chunk_tokens: tokens processed per chunk (memory versus speed).
            Default None: 1,000,000, or less for a corpus of known size so
            that every thread gets at least one chunk.
        dense_limit: pairs whose two ids are both below this limit are summed
            in a dense `(dense_limit, dense_limit)` table (32 MiB at the
            default 2048); frequent words have small ids in a frequency-sorted
            vocabulary, so this takes most pairs off the sort. 0 disables it.
        num_threads: threads counting chunks in parallel (NumPy releases the
            GIL in its sorts). Default 1: on a shared 2-core machine two
            threads measured slower; try more on idle cores.
        verbose: 0 (silent), 1 (progress bar) or `"auto"` (a bar once the run
            has taken more than two seconds).

    Empty documents contribute nothing. A corpus with no token at all (or
    no pair within `window`) gives an empty matrix (`nnz == 0`), whose
    `dataset` raises `ValueError`.

    Returns:
        A `CooccurrenceMatrix`: sparse `rows`, `cols`, `values`, with
        `to_sparse_tensor()` and `dataset(batch_size)` giving `((i, j), X_ij)`
        batches for training.

    Raises:
        TypeError: `vocab_size`, `window`, `dense_limit` or `num_threads`
            is not an integer, `symmetric` is not a bool, or `ignore_ids` /
            `boundary_ids` is not a list or tuple of integer ids.
        ValueError: for `window < 1`, `vocab_size < 1`, `dense_limit < 0`,
            `num_threads < 1`, an unknown `weighting` or `verbose`, or an id
            outside `[0, vocab_size)`.

    Example:

    >>> X = cooccurrence([[3, 4, 1, 5]], vocab_size=6, window=2)  # 1 is <UNK>
    >>> X.to_dense()[3:, 3:]
    array([[0. , 1. , 0.5],
           [1. , 0. , 1. ],
           [0.5, 1. , 0. ]])

    Reference:
        Pennington, Socher and Manning, "GloVe: Global Vectors for Word
        Representation", EMNLP 2014; `cooccur.c` of the reference code.
    """
    vocab_size = check_positive_int("vocab_size", vocab_size)
    window = check_positive_int("window", window)
    symmetric = check_bool("symmetric", symmetric)
    check_choice("weighting", weighting, _WEIGHTINGS)
    dense_limit = check_nonnegative_int("dense_limit", dense_limit)
    num_threads = check_positive_int("num_threads", num_threads)
    # `True in (0, 1)` and `1.0 in (0, 1)` hold: only integers and "auto".
    if verbose != "auto" and not (is_integer(verbose) and verbose in (0, 1)):
        raise ValueError(f"`verbose` must be 0, 1 or 'auto'; received {verbose!r}.")
    ignore_ids = _check_id_list("ignore_ids", ignore_ids, vocab_size)
    boundary_ids = _check_id_list("boundary_ids", boundary_ids, vocab_size)

    counter = _Counter(
        vocab_size,
        window,
        weighting,
        min(dense_limit, vocab_size),
        ignore_ids,
        boundary_ids,
        symmetric,
    )
    total = _total_tokens(sequences)
    if chunk_tokens is None:
        chunk_tokens = 1_000_000
        if total is not None:
            share = -(-total // num_threads)
            chunk_tokens = max(min(chunk_tokens, share), 50_000)
    chunk_tokens = check_positive_int("chunk_tokens", chunk_tokens)
    progress = _Progress(verbose, total)
    # NumPy's sorts and array arithmetic release the GIL, so chunks are
    # counted in threads while this thread reads input and merges results.
    with concurrent.futures.ThreadPoolExecutor(num_threads) as pool:
        pending = collections.deque()
        for flat, lengths, seen in _chunks(sequences, chunk_tokens, counter):
            _check_ids("sequences", flat, vocab_size)
            future = pool.submit(counter.count, flat, lengths, seen)
            pending.append((future, flat.size - seen))
            while len(pending) >= num_threads:
                future, size = pending.popleft()
                counter.add(future.result())
                progress.update(size)
        while pending:
            future, size = pending.popleft()
            counter.add(future.result())
            progress.update(size)
    progress.done()
    matrix = CooccurrenceMatrix.__new__(CooccurrenceMatrix)
    matrix.vocab_size = vocab_size
    matrix.rows, matrix.cols, matrix.values = counter.result()
    return matrix


class _Counter:
    """Accumulates left-context counts `A`, once per unordered pair when
    symmetric (`X = A + A^T` is rebuilt at the end)."""

    def __init__(
        self, vocab_size, window, weighting, dense_limit, ignore, boundary, symmetric
    ):
        self.vocab_size = vocab_size
        self.symmetric = symmetric
        self.window = window
        self.harmonic = weighting == "harmonic"
        self.dense_limit = dense_limit
        self.ignore = np.asarray(ignore, dtype="int64")
        self.boundary = np.asarray(boundary, dtype="int64")
        self.dense = np.zeros(dense_limit * dense_limit) if dense_limit else None
        # The offset d rides in the low bits of a sort key, so one sort of
        # plain integers yields counts per (pair, d) and thus the 1/d weights.
        self.offset_bits = (window - 1).bit_length() if self.harmonic else 0
        self.inverse_offsets = 1.0 / np.arange(1, window + 1)
        self.runs = []  # sorted unique (keys, values) of the sparse part

    def add(self, counted):
        """Adds the result of `count` on one chunk to the running totals."""
        dense, keys, values = counted
        if dense is not None:
            self.dense += dense
        if keys.size:
            self._push(keys, values)

    def count(self, flat, lengths, seen=0):
        """Counts one chunk; pure, so chunks can be counted in threads.

        Args:
            flat: the token ids of the chunk's documents, one after another.
            lengths: the documents' lengths.
            seen: how many leading ids of `flat` an earlier chunk counted,
                all kept (neither ignored nor boundaries) and of the first
                document: context only, as pairs whose later token is one of
                them were counted there.

        Returns:
            `(dense, keys, values)`: the increment of the dense table (or
            None) and the sorted unique keys with summed counts of the rest.
        """
        flat = flat.astype("int64", copy=False)
        # Position of each token inside its document after removals; a pair
        # d apart is inside one document iff the later token's position >= d.
        starts = np.zeros(flat.size, dtype=bool)
        # Empty documents hold no token to mark; left in, the cumulative
        # lengths of a chunk ending with one would index past its end.
        lengths = lengths[lengths > 0]
        if lengths.size:
            starts[np.cumsum(lengths[:-1])] = True
            starts[0] = True
        if self.boundary.size:
            is_boundary = np.isin(flat, self.boundary)
            # The token after a boundary starts a new document.
            starts[1:] |= is_boundary[:-1]
            drop = is_boundary
        else:
            drop = np.zeros(flat.size, dtype=bool)
        if self.ignore.size:
            drop |= np.isin(flat, self.ignore)
        document = np.cumsum(starts)
        keep = ~drop
        flat = flat[keep]
        document = document[keep]
        first = np.ones(flat.size, dtype=bool)
        first[1:] = document[1:] != document[:-1]
        index = np.arange(flat.size)
        position = index - np.maximum.accumulate(np.where(first, index, 0))

        limit = self.dense_limit
        V = self.vocab_size
        dense_keys, dense_weights, sparse_keys = [], [], []
        small = flat < limit
        for d in range(1, self.window + 1):
            if d >= flat.size:
                break
            ok = position[d:] >= d
            ok[: max(seen - d, 0)] = False
            center = flat[d:]
            context = flat[:-d]
            if self.symmetric:
                # One key per unordered pair halves the pairs to reduce.
                center, context = (
                    np.maximum(center, context),
                    np.minimum(center, context),
                )
            if limit:
                both = ok & small[d:] & small[:-d]
                keys = center[both] * limit + context[both]
                dense_keys.append(keys)
                if self.harmonic:
                    dense_weights.append(
                        np.full(keys.size, self.inverse_offsets[d - 1])
                    )
                ok &= ~both
            keys = center[ok] * V + context[ok]
            if self.offset_bits:
                keys = (keys << self.offset_bits) | (d - 1)
            sparse_keys.append(keys)
        dense = None
        if limit and dense_keys:
            keys = np.concatenate(dense_keys)
            weights = np.concatenate(dense_weights) if self.harmonic else None
            dense = np.bincount(keys, weights, minlength=limit * limit)
        if not sparse_keys:
            return dense, np.zeros(0, "int64"), np.zeros(0)
        keys = np.sort(np.concatenate(sparse_keys))
        if keys.size == 0:
            return dense, keys, np.zeros(0)
        keys, counts = _runs(keys)
        if self.offset_bits:
            mask = (1 << self.offset_bits) - 1
            values = counts * self.inverse_offsets[keys & mask]
            keys, values = _reduce_sorted(keys >> self.offset_bits, values)
        else:
            values = counts.astype("float64")
        return dense, keys, values

    def tail(self, ids):
        """The last `window` kept ids of the document still open at the end
        of `ids`: the context that the ids after them need."""
        ends = np.flatnonzero(np.isin(ids, self.boundary))
        if ends.size:
            ids = ids[ends[-1] + 1 :]
        return ids[~np.isin(ids, self.ignore)][-self.window :]

    def _push(self, keys, values):
        # Log-structured merging: a run is merged into the one before it
        # while that one is at most twice as large, so each pair is copied
        # O(log n) times and at most O(log n) runs are held.
        self.runs.append((keys, values))
        while len(self.runs) > 1 and self.runs[-2][0].size <= 2 * keys.size:
            (ka, va), (kb, vb) = self.runs[-2:]
            self.runs[-2:] = [_merge_sorted(ka, va, kb, vb)]
            keys = self.runs[-1][0]

    def result(self):
        """Returns unique `(rows, cols, values)` of `X`."""
        V = self.vocab_size
        keys, values = np.zeros(0, "int64"), np.zeros(0)
        for run_keys, run_values in reversed(self.runs):
            keys, values = _merge_sorted(run_keys, run_values, keys, values)
        rows, cols = np.divmod(keys, V)
        if self.dense is not None:
            table = self.dense.reshape(self.dense_limit, self.dense_limit)
            i, j = np.nonzero(table)
            # Dense pairs have both ids below the limit and sparse pairs do
            # not, so the two sets are disjoint.
            rows = np.concatenate([i, rows])
            cols = np.concatenate([j, cols])
            values = np.concatenate([table[i, j], values])
        if not self.symmetric:
            return rows, cols, values
        # Symmetric counts were kept once per unordered pair (row = the
        # larger id): X = U + U^T, so the diagonal doubles.
        off = rows != cols
        values = np.where(off, values, 2 * values)
        return (
            np.concatenate([rows, cols[off]]),
            np.concatenate([cols, rows[off]]),
            np.concatenate([values, values[off]]),
        )


def _merge_sorted(ka, va, kb, vb):
    """Merges two runs of sorted unique keys, summing values of shared keys."""
    if ka.size < kb.size:
        ka, va, kb, vb = kb, vb, ka, va
    if kb.size == 0:
        return ka, va
    position = np.searchsorted(ka, kb)
    found = position < ka.size
    found[found] = ka[position[found]] == kb[found]
    va = va.copy()
    # Keys are unique within a run, so each position is hit at most once.
    va[position[found]] += vb[found]
    new = ~found
    return (
        np.insert(ka, position[new], kb[new]),
        np.insert(va, position[new], vb[new]),
    )


def _runs(sorted_keys):
    """Unique values of a sorted array and how often each occurs."""
    change = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    starts = np.concatenate([[0], change])
    counts = np.diff(np.concatenate([starts, [sorted_keys.size]]))
    return sorted_keys[starts], counts


def _reduce_sorted(keys, values):
    """Sums `values` over equal neighbours of the sorted `keys`."""
    if keys.size == 0:
        return keys, values
    change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate([[0], change])
    return keys[starts], np.add.reduceat(values, starts)


def _sum_duplicates(keys, values, kind=None):
    order = np.argsort(keys, kind=kind)
    return _reduce_sorted(keys[order], values[order])


def _as_numpy(x):
    if isinstance(x, np.ndarray):
        return x
    if tf.is_tensor(x):
        return x.numpy()
    return np.asarray(x)


def _documents(sequences, chunk_tokens):
    """Yields (flat ids, document lengths) blocks from any accepted input.

    Many documents at once (a 2-D array, a ragged tensor) come in blocks of
    whole rows of at most `chunk_tokens` tokens, or one row.
    """
    if isinstance(sequences, tf.data.Dataset):
        for element in sequences:
            yield from _documents(element, chunk_tokens)
        return
    if isinstance(sequences, tf.RaggedTensor):
        if sequences.ragged_rank != 1:
            raise ValueError(
                "A ragged `sequences` must have shape (documents, None); "
                f"received ragged rank {sequences.ragged_rank}."
            )
        yield from _row_blocks(
            sequences.flat_values.numpy(),
            sequences.row_splits.numpy(),
            chunk_tokens,
        )
        return
    if isinstance(sequences, (np.ndarray, tf.Tensor)) or tf.is_tensor(sequences):
        array = _as_numpy(sequences)
        if array.ndim == 1:
            yield array, np.array([array.size])
        elif array.ndim == 2:
            rows, width = array.shape
            splits = np.arange(rows + 1) * width
            yield from _row_blocks(array.reshape(-1), splits, chunk_tokens)
        else:
            raise ValueError(
                "`sequences` must be 1-D (one document) or 2-D (documents); "
                f"received an array of shape {array.shape}."
            )
        return
    if isinstance(sequences, (str, bytes)) or not isinstance(
        sequences, collections.abc.Iterable
    ):
        raise TypeError(
            "`sequences` must hold token ids (arrays, lists, a RaggedTensor or "
            f"a tf.data.Dataset); received {type(sequences).__name__}."
        )
    for document in sequences:
        if isinstance(document, tf.RaggedTensor):
            yield from _documents(document, chunk_tokens)
            continue
        array = _as_numpy(document)
        if array.ndim != 1:
            raise ValueError(
                "Each document in `sequences` must be 1-D; received one of "
                f"shape {array.shape}."
            )
        yield array, np.array([array.size])


def _row_blocks(flat, splits, chunk_tokens):
    """Yields consecutive rows of `flat` (row `r` is `splits[r]:splits[r + 1]`)
    in blocks of at most `chunk_tokens` tokens, or one row."""
    lengths = np.diff(splits)
    row = 0
    while row < lengths.size:
        end = np.searchsorted(splits, splits[row] + chunk_tokens, side="right") - 1
        end = max(end, row + 1)
        yield flat[splits[row] : splits[end]], lengths[row:end]
        row = end


def _chunks(sequences, chunk_tokens, counter):
    """Yields `(flat ids, document lengths, seen)` chunks of at most
    `chunk_tokens` tokens plus `seen`: documents are grouped, and a document
    longer than `chunk_tokens` is cut into pieces, each after the `seen`
    (at most `window`) kept ids before it that it needs as context (see
    `_Counter.count`).

    A chunk ends before the first document that would overflow it, whether
    the documents come one by one or in blocks, so every form of a corpus
    is cut into the same chunks and sums its counts in the same order."""
    flats, lengths, size = [], [], 0
    for flat, lens in _documents(sequences, chunk_tokens):
        if flat.size and not np.issubdtype(flat.dtype, np.integer):
            raise TypeError(
                f"`sequences` must hold integer token ids; received {flat.dtype}."
            )
        flat = flat.reshape(-1)
        if lens.size > 1 and size + flat.size > chunk_tokens:
            # The block's documents that still fit close the open chunk; the
            # rest (a block is at most `chunk_tokens` long) starts the next.
            fit = np.searchsorted(np.cumsum(lens), chunk_tokens - size, "right")
            cut = int(np.sum(lens[:fit]))
            flats.append(flat[:cut])
            lengths.append(lens[:fit])
            yield np.concatenate(flats), np.concatenate(lengths), 0
            flats, lengths, size = [], [], 0
            flat, lens = flat[cut:], lens[fit:]
        if flats and size + flat.size > chunk_tokens:
            yield np.concatenate(flats), np.concatenate(lengths), 0
            flats, lengths, size = [], [], 0
        if lens.size == 1 and flat.size > chunk_tokens:
            tail = flat[:0]
            for start in range(0, flat.size, chunk_tokens):
                piece = np.concatenate([tail, flat[start : start + chunk_tokens]])
                yield piece, np.array([piece.size]), tail.size
                tail = counter.tail(piece)
            continue
        flats.append(flat)
        lengths.append(lens)
        size += flat.size
    if flats:
        yield np.concatenate(flats), np.concatenate(lengths), 0


def _total_tokens(sequences):
    if isinstance(sequences, tf.RaggedTensor):
        return int(tf.size(sequences.flat_values))
    if isinstance(sequences, np.ndarray) or tf.is_tensor(sequences):
        return int(np.prod(sequences.shape))
    if isinstance(sequences, collections.abc.Sequence) and not isinstance(
        sequences, (str, bytes)
    ):
        try:
            return sum(len(s) for s in sequences)
        except TypeError:
            return None
    return None


class _Progress:
    def __init__(self, verbose, total):
        self.verbose = verbose
        self.total = total
        self.seen = 0
        self.start = time.perf_counter()
        self.bar = None

    def update(self, n):
        self.seen += n
        if self.verbose == 0:
            return
        if self.bar is None and (
            self.verbose == 1 or time.perf_counter() - self.start > 2.0
        ):
            self.bar = keras.utils.Progbar(self.total, unit_name="token")
        if self.bar is not None:
            self.bar.update(self.seen)

    def done(self):
        if self.bar is not None and self.total is None:
            self.bar.update(self.seen, finalize=True)


def _real_numbers(array):
    """Whether a NumPy array holds integers or floats (not bools, complex)."""
    if array.dtype == object:
        return all(
            isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))
            for v in array.ravel()
        )
    return is_real_dtype(array.dtype)


def _check_id_list(name, ids, vocab_size):
    """`check_id_list`, with every id in `[0, vocab_size)`, as an int64 array."""
    ids = np.asarray(check_id_list(name, ids), dtype="int64")
    _check_ids(name, ids, vocab_size)
    return ids


def _check_ids(name, ids, vocab_size):
    if ids.size == 0:
        return
    low, high = int(ids.min()), int(ids.max())
    if low < 0 or high >= vocab_size:
        bad = low if low < 0 else high
        raise ValueError(
            f"`{name}` holds the id {bad}, outside the vocabulary [0, {vocab_size})."
        )

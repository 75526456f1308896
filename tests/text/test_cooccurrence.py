"""`cooccurrence` against a brute-force Python count, and its dataset."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.text import CooccurrenceMatrix, cooccurrence
from keras_seqlayers.text.cooccurrence import _Counter


def brute_force(docs, V, window, symmetric, weighting, ignore=(), boundary=()):
    """Counts pairs one by one, straight from the definition."""
    X = np.zeros((V, V))
    for doc in docs:
        # Boundary ids split a document; ignored ids are removed first.
        pieces, current = [], []
        for token in doc:
            if token in boundary:
                pieces.append(current)
                current = []
            elif token not in ignore:
                current.append(token)
        pieces.append(current)
        for piece in pieces:
            for t, center in enumerate(piece):
                for s, context in enumerate(piece):
                    d = t - s
                    if d == 0 or abs(d) > window or (d < 0 and not symmetric):
                        continue
                    X[center, context] += 1.0 / abs(d) if weighting == "harmonic" else 1
    return X


def random_docs(rng, V, n_docs, max_len):
    return [
        rng.integers(0, V, size=rng.integers(0, max_len + 1)) for _ in range(n_docs)
    ]


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("weighting", ["harmonic", "uniform"])
@pytest.mark.parametrize("window", [1, 3, 10])
@pytest.mark.parametrize("dense_limit", [0, 4, 2048])
def test_matches_brute_force(symmetric, weighting, window, dense_limit):
    rng = np.random.default_rng(window * 7 + dense_limit + symmetric)
    V = 9
    docs = random_docs(rng, V, n_docs=12, max_len=25)
    X = cooccurrence(
        docs,
        V,
        window=window,
        symmetric=symmetric,
        weighting=weighting,
        ignore_ids=(0, 1),
        boundary_ids=(2,),
        dense_limit=dense_limit,
        chunk_tokens=17,  # many chunks: exercises merging across chunks
        verbose=0,
    )
    expected = brute_force(docs, V, window, symmetric, weighting, (0, 1), (2,))
    np.testing.assert_allclose(X.to_dense(), expected, rtol=1e-12, atol=1e-12)
    assert np.all(X.values > 0)
    keys = X.rows * V + X.cols
    assert np.unique(keys).size == keys.size
    if symmetric:
        np.testing.assert_allclose(X.to_dense(), X.to_dense().T)


# Cut at every 7th token, this 1-D document has pieces with ignored ids
# only (the context must carry over them) and boundaries at both ends of a
# piece.
IGNORED_RUNS = [
    *[3, 4, 5, 6, 7, 8, 3],
    *[1, 1, 1, 1, 1, 1, 1],
    *[0, 0, 0, 0, 0, 0, 0],
    *[4, 5, 6, 1, 7, 8, 2],
    *[2, 3, 4, 0, 5, 6, 7],
    *[8, 3, 4, 5, 6, 7, 1],
    *[0, 8, 3],
]


def corpus_in_form(form, rng):
    """A corpus with ids in [0, 9) in one of the accepted inputs, and its
    documents."""
    if form == "1d_array":
        array = rng.integers(0, 9, size=100)
        return array, [array]
    if form == "ignored_runs":
        return np.array(IGNORED_RUNS), [IGNORED_RUNS]
    if form == "long_document_in_list":
        docs = [rng.integers(0, 9, size=n) for n in (5, 60, 3)]
        return docs, docs
    if form in ("2d_array", "2d_tensor", "2d_wide"):
        shape = {"2d_array": (15, 3), "2d_tensor": (15, 5), "2d_wide": (5, 16)}[form]
        array = rng.integers(0, 9, size=shape)
        sequences = tf.constant(array) if form == "2d_tensor" else array
        return sequences, list(array)
    docs = random_docs(rng, 9, n_docs=20, max_len=20)
    ragged = tf.ragged.constant([d.tolist() for d in docs], dtype=tf.int64)
    if form == "ragged":
        return ragged, docs
    return tf.data.Dataset.from_tensor_slices(ragged).batch(6), docs


@pytest.mark.parametrize(
    "form",
    [
        "1d_array",
        "ignored_runs",
        "long_document_in_list",
        "2d_array",
        "2d_tensor",
        "2d_wide",
        "ragged",
        "ragged_batches",
    ],
)
@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("weighting", ["harmonic", "uniform"])
@pytest.mark.parametrize("window", [1, 3, 10])
def test_chunks_stay_small_and_counts_exact(
    form, symmetric, weighting, window, monkeypatch
):
    # Memory is bounded by the chunk: however the corpus comes, `count`
    # must never be handed much more than `chunk_tokens` tokens at once (a
    # piece of a long document comes after up to `window` tokens of context).
    sizes = []
    count = _Counter.count

    def recording_count(self, flat, *args):
        sizes.append(flat.size)
        return count(self, flat, *args)

    monkeypatch.setattr(_Counter, "count", recording_count)
    rng = np.random.default_rng(window * 4 + 2 * symmetric + (weighting == "uniform"))
    sequences, docs = corpus_in_form(form, rng)
    chunk_tokens = 7  # cuts fall everywhere
    X = cooccurrence(
        sequences,
        9,
        window=window,
        symmetric=symmetric,
        weighting=weighting,
        chunk_tokens=chunk_tokens,
        dense_limit=4,
        verbose=0,
    )
    expected = brute_force(docs, 9, window, symmetric, weighting, (0, 1), (2,))
    np.testing.assert_allclose(X.to_dense(), expected, rtol=1e-12, atol=1e-12)
    assert max(sizes) <= chunk_tokens + window


def test_document_boundaries_are_respected():
    # Two documents [3, 4] and [5, 6]: 4 and 5 are adjacent only in the
    # concatenation, so they must never co-occur.
    X = cooccurrence([[3, 4], [5, 6]], 7, window=5, verbose=0).to_dense()
    assert X[4, 5] == 0
    assert X[5, 4] == 0
    assert X[3, 4] == 1
    assert X[6, 5] == 1


def test_ignored_ids_do_not_take_window_positions():
    # With <UNK> (1) removed before windowing, 3 and 4 are neighbours.
    X = cooccurrence([[3, 1, 4]], 5, window=1, verbose=0).to_dense()
    assert X[3, 4] == 1
    assert X[1].sum() == 0
    assert X[:, 1].sum() == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda docs: docs,
        lambda docs: [list(d) for d in docs],
        lambda docs: tf.ragged.constant(docs),
        lambda docs: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(docs)),
        lambda docs: tf.data.Dataset.from_tensor_slices(tf.ragged.constant(docs)).batch(
            2
        ),
    ],
)
def test_input_forms_agree(make):
    rng = np.random.default_rng(3)
    docs = [d.tolist() for d in random_docs(rng, 8, 5, 9) if d.size]
    expected = brute_force(docs, 8, 3, True, "harmonic", (0, 1))
    X = cooccurrence(make(docs), 8, window=3, verbose=0)
    np.testing.assert_allclose(X.to_dense(), expected)


@pytest.mark.parametrize(
    "docs",
    [
        [[3, 4, 5], []],  # empty last document
        [[], [3, 4, 5]],
        [[], [3, 4, 5], [], [], [6, 3, 2, 7], []],
        [[3, 4], [], [5, 6, 7], [], []],
    ],
)
@pytest.mark.parametrize(
    "make",
    [
        lambda docs: docs,
        lambda docs: [np.array(d, dtype="int64") for d in docs],
        lambda docs: tf.ragged.constant(docs, dtype=tf.int64),
        lambda docs: tf.data.Dataset.from_tensor_slices(
            tf.ragged.constant(docs, dtype=tf.int64)
        ).batch(2),
    ],
)
@pytest.mark.parametrize("chunk_tokens", [None, 1, 3])
def test_empty_documents_contribute_nothing(docs, make, chunk_tokens):
    # chunk_tokens=1 also makes chunks that end with, or only hold, empty
    # documents.
    X = cooccurrence(
        make(docs), 8, window=2, chunk_tokens=chunk_tokens, dense_limit=4, verbose=0
    )
    expected = brute_force(docs, 8, 2, True, "harmonic", (0, 1), (2,))
    np.testing.assert_allclose(X.to_dense(), expected, rtol=1e-12, atol=1e-12)
    assert X.nnz == np.count_nonzero(expected)


@pytest.mark.parametrize(
    "sequences",
    [
        [],
        [[]],
        [[], []],
        np.zeros((2, 0), "int64"),
        tf.ragged.constant([[], []], dtype=tf.int64),
    ],
)
def test_corpus_without_tokens_gives_empty_matrix(sequences):
    X = cooccurrence(sequences, 6, chunk_tokens=1, verbose=0)
    assert X.nnz == 0
    np.testing.assert_array_equal(X.to_dense(), np.zeros((6, 6)))
    with pytest.raises(ValueError, match=r"co-occurrence matrix is empty \(nnz=0"):
        X.dataset(batch_size=2)


def test_padded_2d_array_is_one_document_per_row():
    padded = np.array([[3, 4, 0, 0], [5, 6, 7, 0]])
    X = cooccurrence(padded, 8, window=2, verbose=0).to_dense()
    expected = brute_force([[3, 4], [5, 6, 7]], 8, 2, True, "harmonic")
    np.testing.assert_allclose(X, expected)


def test_sparse_tensor_and_dataset_hold_every_pair_once():
    rng = np.random.default_rng(5)
    docs = random_docs(rng, 10, 20, 15)
    X = cooccurrence(docs, 10, window=4, verbose=0)
    dense = X.to_dense()
    sparse = X.to_sparse_tensor("float64")
    # In row-major order: TensorFlow's sparse ops take it as it is.
    np.testing.assert_array_equal(sparse.indices, tf.sparse.reorder(sparse).indices)
    np.testing.assert_allclose(tf.sparse.to_dense(sparse), dense)
    for shuffle in (False, True):
        seen = np.zeros_like(dense)
        batches = list(X.dataset(batch_size=7, shuffle=shuffle, seed=1))
        for (i, j), x in batches:
            assert i.dtype == tf.int32
            assert x.dtype == tf.float32
            np.add.at(seen, (i.numpy(), j.numpy()), x.numpy())
        np.testing.assert_allclose(seen, dense, rtol=1e-6)
        assert len(batches) == -(-X.nnz // 7)


def test_dataset_reshuffles_each_pass_reproducibly():
    X = cooccurrence([np.arange(2, 40)], 40, window=3, verbose=0)

    def order(ds):
        return np.concatenate([i.numpy() * 40 + j.numpy() for (i, j), _ in ds])

    ds = X.dataset(batch_size=16, seed=3)
    first, second = order(ds), order(ds)
    assert not np.array_equal(first, second)
    # New batches, not only the same batches in another order.
    assert {frozenset(b) for b in np.split(first[:64], 4)} != {
        frozenset(b) for b in np.split(second[:64], 4)
    }
    np.testing.assert_array_equal(np.sort(first), np.sort(second))
    np.testing.assert_array_equal(first, order(X.dataset(batch_size=16, seed=3)))


def test_unseeded_dataset_follows_keras_set_random_seed():
    X = cooccurrence([np.arange(2, 40)], 40, window=3, verbose=0)

    def order(random_seed):
        keras.utils.set_random_seed(random_seed)
        ds = X.dataset(batch_size=16)
        return np.concatenate([i.numpy() * 40 + j.numpy() for (i, j), _ in ds])

    np.testing.assert_array_equal(order(5), order(5))
    assert not np.array_equal(order(5), order(6))


def test_dataset_with_one_batch_reshuffles_it_each_pass():
    # Fewer pairs than a batch: each pass is one batch, in a new order that
    # is not only a rotation of the last one.
    X = cooccurrence([np.arange(2, 40)], 40, window=3, verbose=0)
    ds = X.dataset(batch_size=X.nnz + 5, seed=2)
    orders = []
    for _ in range(2):
        ((i, j), _), *rest = list(ds)
        assert not rest
        orders.append(list(i.numpy() * 40 + j.numpy()))
    assert sorted(orders[0]) == sorted(orders[1])
    rotations = [orders[0][k:] + orders[0][:k] for k in range(X.nnz)]
    assert orders[1] not in rotations


@pytest.mark.parametrize("drop_remainder", [False, True])
def test_dataset_yields_every_pair_exactly_once_per_pass(drop_remainder):
    # Distinct values per pair, so a pair's value must travel with its ids.
    V = 9
    i, j = np.divmod(np.arange(V * V), V)
    X = CooccurrenceMatrix(i, j, np.arange(1.0, V * V + 1), V)
    expected = {(a, b): float(a * V + b + 1) for a, b in zip(i, j, strict=True)}
    ds = X.dataset(batch_size=10, seed=4, drop_remainder=drop_remainder)
    full = (V * V) // 10
    orders = []
    for _ in range(3):
        seen, order = {}, []
        batches = list(ds)
        assert len(batches) == (full if drop_remainder else full + 1)
        for (bi, bj), bx in batches:
            assert bi.shape == bj.shape == bx.shape
            for a, b, x in zip(bi.numpy(), bj.numpy(), bx.numpy(), strict=True):
                assert (a, b) not in seen  # never twice in one pass
                seen[(a, b)] = float(x)
                order.append(a * V + b)
        if drop_remainder:
            assert len(seen) == full * 10
            assert all(expected[k] == v for k, v in seen.items())
        else:
            assert seen == expected
        orders.append(order)
    assert orders[0] != orders[1] != orders[2]  # a new order every pass
    # A fresh dataset with the same seed repeats the whole sequence of passes.
    again = X.dataset(batch_size=10, seed=4, drop_remainder=drop_remainder)
    for order in orders:
        assert [
            a * V + b
            for (bi, bj), _ in again
            for a, b in zip(bi.numpy(), bj.numpy(), strict=True)
        ] == order


def test_unshuffled_dataset_keeps_matrix_order():
    X = CooccurrenceMatrix([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1.0, 2, 3, 4, 5], 5)
    batches = list(X.dataset(batch_size=2, shuffle=False))
    got_i = np.concatenate([i.numpy() for (i, _), _ in batches])
    got_x = np.concatenate([x.numpy() for _, x in batches])
    np.testing.assert_array_equal(got_i, X.rows)
    np.testing.assert_array_equal(got_x, X.values)
    assert [len(x) for _, x in batches] == [2, 2, 1]


def test_dataset_runs_without_autotuning():
    # tf.data's autotuning thread can hold up an iterator's deletion (about
    # 1 s at the end of some GloVe fits); the dataset turns it off.
    X = CooccurrenceMatrix([0, 1], [1, 0], [1.0, 2.0], 2)
    for shuffle in (True, False):
        assert X.dataset(shuffle=shuffle).options().autotune.enabled is False


def test_matrix_from_arrays_sums_duplicates_and_drops_zeros():
    X = CooccurrenceMatrix([0, 0, 1, 2], [1, 1, 0, 2], [1.0, 2.0, 0.0, 4.0], 3)
    expected = np.zeros((3, 3))
    expected[0, 1] = 3.0
    expected[2, 2] = 4.0
    np.testing.assert_array_equal(X.to_dense(), expected)
    assert X.nnz == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"window": 0}, ("`window` must be an integer >= 1; received window=0")),
        ({"window": -3}, ("`window` must be an integer >= 1; received window=-3")),
        (
            {"vocab_size": 0},
            ("`vocab_size` must be an integer >= 1; received vocab_size=0"),
        ),
        ({"weighting": "linear"}, "`weighting` must be one of"),
        ({"ignore_ids": (9,)}, r"`ignore_ids` holds the id 9, outside .*\[0, 5\)"),
        (
            {"dense_limit": -1},
            "`dense_limit` must be an integer >= 0; received dense_limit=-1",
        ),
        ({"verbose": 2}, "`verbose` must be 0, 1 or 'auto'"),
    ],
)
def test_bad_arguments(kwargs, match):
    args = {"sequences": [[2, 3]], "vocab_size": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        cooccurrence(**args)


@pytest.mark.parametrize("bad", [5, -1])
def test_ids_outside_vocabulary(bad):
    with pytest.raises(ValueError, match=rf"`sequences` holds the id {bad}, outside"):
        cooccurrence([[2, 3], [4, bad]], 5, verbose=0)


def test_bad_matrix_values():
    with pytest.raises(ValueError, match=r"negative count -1\.0"):
        CooccurrenceMatrix([0], [1], [-1.0], 3)
    with pytest.raises(ValueError, match="`values` must be finite"):
        CooccurrenceMatrix([0], [1], [np.nan], 3)
    with pytest.raises(ValueError, match=r"`rows` holds the id 3, outside .*\[0, 3\)"):
        CooccurrenceMatrix([3], [1], [1.0], 3)


def test_non_integer_ids_are_rejected():
    with pytest.raises(TypeError, match="integer token ids"):
        cooccurrence([np.array([1.5, 2.0])], 5, verbose=0)


def test_progress_bar_reports_tokens(capsys):
    docs = [np.arange(3, 50)] * 10
    cooccurrence(docs, 50, window=2, chunk_tokens=100, verbose=1)
    assert "470/470" in capsys.readouterr().out


def test_threads_and_chunking_do_not_change_counts():
    rng = np.random.default_rng(11)
    docs = random_docs(rng, 30, 60, 40)
    reference = cooccurrence(docs, 30, num_threads=1, chunk_tokens=10**9, verbose=0)
    for threads, chunk in ((2, 50), (3, 7), (1, 1)):
        X = cooccurrence(docs, 30, num_threads=threads, chunk_tokens=chunk, verbose=0)
        np.testing.assert_allclose(X.to_dense(), reference.to_dense(), rtol=1e-12)


@pytest.mark.parametrize("dense_limit", [0, 2048])
def test_every_form_of_a_corpus_is_cut_into_the_same_chunks(dense_limit):
    # Harmonic weights summed in another order can differ in the last bit,
    # so equal counts need documents grouped into the same chunks whether
    # they come one by one, as a ragged tensor or in batches from a dataset.
    rng = np.random.default_rng(3)
    docs = [rng.integers(3, 40, n) for n in rng.integers(0, 12, 400)]
    ragged = tf.ragged.constant(docs, dtype=tf.int64)
    options = {"window": 5, "chunk_tokens": 23, "dense_limit": dense_limit}
    one_by_one = cooccurrence(docs, 40, verbose=0, **options)
    np.testing.assert_allclose(
        one_by_one.to_dense(), brute_force(docs, 40, 5, True, "harmonic")
    )
    for lines_per_batch in (3, 9, 1000):
        batches = tf.data.Dataset.from_tensor_slices(ragged).ragged_batch(
            lines_per_batch
        )
        for corpus in (ragged, batches):
            got = cooccurrence(corpus, 40, verbose=0, **options)
            np.testing.assert_array_equal(got.rows, one_by_one.rows)
            np.testing.assert_array_equal(got.cols, one_by_one.cols)
            np.testing.assert_array_equal(got.values, one_by_one.values)

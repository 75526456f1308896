import heapq

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import HierarchicalSoftmax
from keras_seqlayers.layers.embedding.hierarchical_softmax import huffman_paths
from tests.harness import run_layer_test
from tests.layers.embedding.xla_updates import assert_tables_updated_in_place

COUNTS = [40, 25, 12, 9, 7, 3, 2, 1, 1]


def test_harness(tmp_path):
    rng = np.random.default_rng(0)
    run_layer_test(
        HierarchicalSoftmax,
        {"counts": COUNTS, "embedding_dim": 4},
        [rng.integers(0, 9, 5).astype("int32"), rng.integers(0, 9, 5).astype("int32")],
        expected_output_shape=(5,),
        tmp_path=tmp_path,
    )


def test_huffman_tree_is_optimal_and_prefix_free():
    points, codes = huffman_paths(np.array(COUNTS, float))
    # Optimal cost = sum of all merge weights (independent heap computation).
    heap = list(map(float, COUNTS))
    heapq.heapify(heap)
    cost = 0.0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    assert sum(c * len(code) for c, code in zip(COUNTS, codes, strict=True)) == cost
    words = ["".join(map(str, c)) for c in codes]
    for i, a in enumerate(words):
        for j, b in enumerate(words):
            assert i == j or not b.startswith(a)
    assert all(p[0] == len(COUNTS) - 2 for p in points)  # all start at the root


# Trees worked by hand with word2vec.c's CreateBinaryTree: merge the two
# lightest subtrees, the lighter taking code 0 and the heavier code 1; inner
# nodes are numbered in merge order, so the root is V - 2. Paths run from
# the root down.
#   [10, 5, 3, 1]: n0 = w3 (1, code 0) + w2 (3, code 1); n1 = n0 (4, 0) +
#   w1 (5, 1); n2 = n1 (9, 0) + w0 (10, 1).
#   [3, 10, 1, 5]: n0 = w2 (1, 0) + w0 (3, 1); n1 = n0 (4, 0) + w3 (5, 1);
#   n2 = n1 (9, 0) + w1 (10, 1).
HAND_TREES = [
    (
        [10, 5, 3, 1],
        [[2], [2, 1], [2, 1, 0], [2, 1, 0]],
        [[1], [0, 1], [0, 0, 1], [0, 0, 0]],
    ),
    (
        [3, 10, 1, 5],
        [[2, 1, 0], [2], [2, 1, 0], [2, 1]],
        [[0, 0, 1], [1], [0, 0, 0], [0, 1]],
    ),
]


@pytest.mark.parametrize(("counts", "points", "codes"), HAND_TREES)
def test_huffman_paths_follow_word2vec_c(counts, points, codes):
    assert huffman_paths(np.array(counts, float)) == (points, codes)


@pytest.mark.parametrize(("counts", "points", "codes"), HAND_TREES)
def test_loss_is_the_path_formula_on_a_hand_worked_tree(counts, points, codes):
    # -log p(w|c) = -Σ log σ(±θ_n·e_c) along w's path: + for code 0, - for 1.
    layer = HierarchicalSoftmax(counts, 5, node_initializer="random_normal")
    centers = np.arange(len(counts))
    log_p = keras.ops.convert_to_numpy(layer.log_probabilities(centers))
    np.testing.assert_allclose(np.exp(log_p).sum(-1), 1.0, rtol=1e-5)
    e = layer.input_embeddings.numpy().astype(np.float64)
    nodes = layer.node_embeddings.numpy().astype(np.float64)
    words = np.repeat(centers, len(counts)), np.tile(centers, len(counts))
    losses = keras.ops.convert_to_numpy(layer([words[0], words[1]]))
    for loss, c, w in zip(losses, *words, strict=True):
        signs = 1 - 2 * np.array(codes[w])
        x = signs * (nodes[points[w]] @ e[c])
        np.testing.assert_allclose(loss, np.sum(np.log1p(np.exp(-x))), rtol=1e-5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 words; received 1"):
        HierarchicalSoftmax([3], 4)
    with pytest.raises(ValueError, match="finite and > 0 everywhere; received 0"):
        HierarchicalSoftmax([3, 0, 1], 4)
    with pytest.raises(ValueError, match="received -2"):
        HierarchicalSoftmax([3, -2, 1], 4)
    with pytest.raises(ValueError, match="`embedding_dim` must be an integer >= 1"):
        HierarchicalSoftmax([3, 2], 0)


def _sgd_in_slices(table, nodes, counts, center, context, weight, lr, size):
    """word2vec's hierarchical-softmax SGD on each slice in turn (NumPy).

    Every pair's step is taken from the slice's starting tables; the steps
    of a slice add up.
    """
    table, nodes = table.astype(np.float64), nodes.astype(np.float64)
    points, codes = huffman_paths(np.array(counts, float))
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    losses = []
    for start in range(0, len(center), size):
        d_table, d_nodes = np.zeros_like(table), np.zeros_like(nodes)
        for c, t, w in zip(
            *(a[start : start + size] for a in (center, context, weight)), strict=True
        ):
            path, signs = points[t], 1 - 2 * np.array(codes[t])
            x = nodes[path] @ table[c]
            losses.append(np.sum(np.log1p(np.exp(-signs * x))))
            g = -signs * sig(-signs * x) * w
            d_table[c] -= lr * g @ nodes[path]
            np.add.at(d_nodes, path, -lr * g[:, None] * table[c])
        table, nodes = table + d_table, nodes + d_nodes
    return table, nodes, np.array(losses)


@pytest.mark.parametrize("jit", [False, True])
def test_sgd_update_is_sgd_on_each_slice_in_turn(jit):
    layer = HierarchicalSoftmax(COUNTS, 4, node_initializer="random_normal")
    layer.build(None)
    # Few words: repeated centers and shared path nodes within and across
    # slices; paths of different lengths; the last slice is partial.
    rng = np.random.default_rng(2)
    center = rng.integers(0, 9, 11).astype("int32")
    context = rng.integers(0, 9, 11).astype("int32")
    weight = rng.uniform(0, 2, 11).astype("float32")
    table = layer.input_embeddings.numpy()
    nodes = layer.node_embeddings.numpy()

    def update(c, t, w):
        return layer.sgd_update([c, t], 0.3, sample_weight=w, slice_size=4)

    if jit:
        update = tf.function(update, jit_compile=True)
    losses = keras.ops.convert_to_numpy(update(center, context, weight))
    expected = _sgd_in_slices(
        table, nodes, COUNTS, center, context, weight, 0.3, size=4
    )
    np.testing.assert_allclose(layer.input_embeddings.numpy(), expected[0], atol=1e-6)
    np.testing.assert_allclose(layer.node_embeddings.numpy(), expected[1], atol=1e-6)
    np.testing.assert_allclose(losses, expected[2], rtol=1e-5, atol=1e-6)


def test_sgd_update_losses_are_the_calls():
    layer = HierarchicalSoftmax(COUNTS, 4, node_initializer="random_normal")
    center, context = np.arange(9), np.arange(9)[::-1]
    before = keras.ops.convert_to_numpy(layer([center, context]))
    losses = layer.sgd_update([center, context], 0.5, slice_size=9)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(losses), before, rtol=1e-6)


def test_sgd_update_leaves_pairs_outside_the_vocabulary_alone():
    layer = HierarchicalSoftmax(COUNTS, 3, node_initializer="random_normal")
    layer.build(None)
    table = layer.input_embeddings.numpy()
    nodes = layer.node_embeddings.numpy()
    fn = tf.function(lambda c, t: layer.sgd_update([c, t], 0.5), jit_compile=True)
    losses = fn(tf.constant([9, -1, 2, 5]), tf.constant([0, 1, 10, 6])).numpy()
    assert np.isnan(losses[:3]).all()
    assert np.isfinite(losses[3])
    # Only the valid pair's center row and its context's path nodes moved.
    changed = np.any(layer.input_embeddings.numpy() != table, axis=1)
    np.testing.assert_array_equal(np.flatnonzero(changed), [5])
    changed = np.any(layer.node_embeddings.numpy() != nodes, axis=1)
    path = huffman_paths(np.array(COUNTS, float))[0][6]
    np.testing.assert_array_equal(np.flatnonzero(changed), sorted(path))


def test_sgd_update_checks_slice_size():
    layer = HierarchicalSoftmax(COUNTS, 3)
    with pytest.raises(ValueError, match="`slice_size` must be an integer >= 1"):
        layer.sgd_update([np.array([0]), np.array([1])], 0.1, slice_size=0)


def test_sgd_update_under_xla_scatters_into_the_tables_in_place():
    # No table-sized temporary (zeros, sum or copy): each slice's update is a
    # scatter-add into a table, so its cost does not grow with the
    # vocabulary.
    layer = HierarchicalSoftmax(np.arange(1, 50_001).tolist(), 8)
    layer.build(None)
    fn = tf.function(
        lambda c, t: layer.sgd_update([c, t], 0.1, slice_size=4), jit_compile=True
    )
    ids = tf.range(1, 9)
    assert_tables_updated_in_place(fn, (ids, ids[::-1]), rows=50_000)
    assert_tables_updated_in_place(fn, (ids, ids[::-1]), rows=49_999)

import heapq

import keras
import numpy as np
import pytest

from keras_seqlayers.layers import HierarchicalSoftmax
from keras_seqlayers.layers.embedding.hierarchical_softmax import huffman_paths
from tests.harness import run_layer_test

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

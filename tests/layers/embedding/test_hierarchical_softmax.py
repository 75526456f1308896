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


def test_probabilities_sum_to_one_and_loss_matches_path_formula():
    layer = HierarchicalSoftmax(COUNTS, 5, node_initializer="random_normal")
    centers = np.array([0, 3, 8, 5])
    log_p = keras.ops.convert_to_numpy(layer.log_probabilities(centers))
    np.testing.assert_allclose(np.exp(log_p).sum(-1), 1.0, rtol=1e-5)
    # Loss for every (center, word) equals -log p from the explicit path.
    points, codes = huffman_paths(np.array(COUNTS, float))
    e = layer.input_embeddings.numpy()
    nodes = layer.node_embeddings.numpy()
    for c in centers:
        for w in range(len(COUNTS)):
            ref = 0.0
            for n, bit in zip(points[w], codes[w], strict=True):
                p0 = 1 / (1 + np.exp(-nodes[n] @ e[c]))
                ref += np.log(p0 if bit == 0 else 1 - p0)
            loss = keras.ops.convert_to_numpy(layer([np.array([c]), np.array([w])]))
            np.testing.assert_allclose(loss[0], -ref, rtol=1e-5, atol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least 2 words; received 1"):
        HierarchicalSoftmax([3], 4)
    with pytest.raises(ValueError, match="finite and > 0 everywhere; received 0"):
        HierarchicalSoftmax([3, 0, 1], 4)
    with pytest.raises(ValueError, match="received -2"):
        HierarchicalSoftmax([3, -2, 1], 4)
    with pytest.raises(ValueError, match="`embedding_dim` must be an integer >= 1"):
        HierarchicalSoftmax([3, 2], 0)

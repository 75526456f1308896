"""Hierarchical softmax over a Huffman tree (word2vec's `hs=1`)."""

import heapq

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import check_positive_counts, check_positive_int
from keras_seqlayers.layers.embedding._slices import (
    sgd_on_targets,
    start_in_place_update,
    target_scores,
)
from keras_seqlayers.layers.embedding._tables import add_word_tables
from keras_seqlayers.layers.embedding.ids import as_ids, pairs_in_vocabulary
from keras_seqlayers.registration import register


def huffman_paths(counts):
    """Huffman tree of `counts`: per-word internal-node paths and codes.

    Internal nodes are numbered `0..V-2` in creation order (the root is
    `V-2`), as in word2vec.c. When merging the two lightest subtrees, the
    lighter gets code 0 and the heavier code 1.

    Args:
        counts: 1-D array of positive counts, length V >= 2.

    Returns:
        `(points, codes)`: lists (one per word) of node ids from the root
        down, and of the 0/1 branch taken at each.
    """
    n = len(counts)
    heap = [(float(c), i, i) for i, c in enumerate(counts)]  # (w, tiebreak, node)
    heapq.heapify(heap)
    parent = np.zeros(2 * n - 1, np.int64)
    code = np.zeros(2 * n - 1, np.int64)
    next_id = n
    while len(heap) > 1:
        w1, _, a = heapq.heappop(heap)
        w2, _, b = heapq.heappop(heap)
        parent[a], code[a] = next_id, 0
        parent[b], code[b] = next_id, 1
        heapq.heappush(heap, (w1 + w2, next_id, next_id))
        next_id += 1
    root = 2 * n - 2
    points, codes = [], []
    for word in range(n):
        path, bits = [], []
        node = word
        while node != root:
            bits.append(int(code[node]))
            node = int(parent[node])
            path.append(node - n)
        points.append(path[::-1])
        codes.append(bits[::-1])
    return points, codes


@register
class HierarchicalSoftmax(keras.layers.Layer):
    """Skip-gram with a hierarchical softmax over a Huffman tree.

    `log p(t|c) = Σ_l log σ(s_l θ_{n_l}·e_c)` along the path `n_1..n_L` from
    the root to leaf `t`, with `s_l = +1` for branch 0 and `-1` for branch 1
    (word2vec's convention). Frequent words get short paths, so a pair costs
    O(log V). The probabilities over the vocabulary sum to 1.

    Ids outside `[0, V)` give a NaN loss (ids >= V also make the gather fail
    in eager TensorFlow); never a silent zero vector.

    Args:
        counts: list of V >= 2 word counts, all > 0.
        embedding_dim: size of the vectors (int >= 1).
        embeddings_initializer: initializer of the input vectors `e`;
            `None` is word2vec's `U(-0.5/dim, 0.5/dim)`.
        node_initializer: initializer of the V-1 node vectors (word2vec:
            zeros).

    Call arguments:
        inputs: a list `[center, context]` of integer tensors of shape
            `(batch,)` or `(batch, 1)`. A pair with an id outside
            `[0, V)` or not a whole number gets a NaN loss (or, eagerly, a
            gather error); ids that are not numbers raise a `TypeError`.

    Returns:
        The per-pair loss `-log p(context|center)`, shape `(batch,)`.

    Example:

    >>> import numpy as np
    >>> layer = HierarchicalSoftmax(counts=[5, 3, 2, 1], embedding_dim=4)
    >>> tuple(layer([np.array([0, 1]), np.array([2, 3])]).shape)
    (2,)

    Reference:
        Morin & Bengio, 2005, "Hierarchical Probabilistic Neural Network
        Language Model"; Mikolov et al., 2013.
    """

    def __init__(
        self,
        counts,
        embedding_dim,
        embeddings_initializer=None,
        node_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        checked = check_positive_counts(counts)
        if checked.size < 2:
            raise ValueError(
                f"`counts` must have at least 2 words; received {checked.size}."
            )
        self.counts = [int(c) if float(c).is_integer() else float(c) for c in checked]
        self.vocab_size = len(self.counts)
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self._default_init = embeddings_initializer is None
        self.embeddings_initializer = keras.initializers.get(
            embeddings_initializer
            if embeddings_initializer is not None
            else keras.initializers.RandomUniform(
                -0.5 / self.embedding_dim, 0.5 / self.embedding_dim
            )
        )
        self.node_initializer = keras.initializers.get(node_initializer)
        points, codes = huffman_paths(checked)
        depth = max(len(p) for p in points)
        self.max_depth = depth
        self._points = np.zeros((self.vocab_size, depth), np.int32)
        self._signs = np.zeros((self.vocab_size, depth), np.float32)
        for w, (p, c) in enumerate(zip(points, codes, strict=True)):
            self._points[w, : len(p)] = p
            self._signs[w, : len(c)] = 1.0 - 2.0 * np.asarray(c)

    def build(self, input_shape):
        self.input_embeddings, self.node_embeddings = add_word_tables(
            self,
            self.node_initializer,
            output_name="node_embeddings",
            output_rows=self.vocab_size - 1,
        )
        # Paths as non-trainable weights: part of .keras files and exports.
        self.path_points = self.add_weight(
            name="path_points",
            shape=self._points.shape,
            initializer=keras.initializers.Constant(self._points),
            trainable=False,
            dtype="int32",
        )
        self.path_signs = self.add_weight(
            name="path_signs",
            shape=self._signs.shape,
            initializer=keras.initializers.Constant(self._signs),
            trainable=False,
            dtype="float32",
        )

    def call(self, inputs):
        center, context = (as_ids(x) for x in inputs)
        e = ops.take(self.input_embeddings, center, axis=0)
        points, signs = self._paths(context, e.dtype)
        nodes = ops.take(self.node_embeddings, points, axis=0)  # (B, L, D)
        loss = _path_losses(target_scores(e, nodes), signs)
        valid = pairs_in_vocabulary(center, context, self.vocab_size)
        return ops.where(valid, loss, ops.cast(float("nan"), e.dtype))

    def sgd_update(self, inputs, learning_rate, sample_weight=None, slice_size=1024):
        """Trains both tables on a batch of pairs with plain SGD, in place.

        The loss is a call's; the gradient is its closed form. With
        `x_l = n_{p_l}·e_c` over the context's path nodes `p_l` and signs
        `s_l`, `g_l = -s_l σ(-s_l x_l)` (0 past the path's end), times the
        pair's weight, each pair takes `e_c -= lr Σ_l g_l n_{p_l}` and
        `n_{p_l} -= lr g_l e_c`. The batch is applied in slices of
        `slice_size` pairs, one after another (each slice sees the updates of
        the ones before, as word2vec's own per-pair updates do); within a
        slice the steps of a repeated row add up, as in SGD on the slice's
        summed loss. Under XLA the updates are scatter-adds into the tables,
        so a step's cost does not grow with the vocabulary (without XLA each
        slice adds a table-sized tensor). Pairs with an id outside `[0, V)`
        change nothing and get a NaN loss.

        TensorFlow backend only (the updates are in-place scatter-adds on
        `tf.Variable`s); under another backend, train with `Model.fit` and a
        Keras optimizer (the layer's call is its loss).

        Args:
            inputs: a list `[center, context]` of integer tensors of shape
                `(batch,)` or `(batch, 1)`.
            learning_rate: the SGD step size (scalar).
            sample_weight: optional `(batch,)` weights of the pairs' losses.
            slice_size: pairs per in-place update (int >= 1).

        Returns:
            The per-pair losses, each taken before its slice's update, shape
            `(batch,)` (unweighted, as a call returns them, but computed in
            the tables' dtype under a mixed precision policy).

        Raises:
            RuntimeError: Keras's backend is not TensorFlow.
            TypeError: `slice_size` is not an integer.
            ValueError: `slice_size` is < 1.

        Example:

        >>> import numpy as np
        >>> layer = HierarchicalSoftmax(counts=[5, 3, 2, 1], embedding_dim=4)
        >>> losses = layer.sgd_update([np.array([0, 1]), np.array([2, 3])], 0.1)
        >>> tuple(losses.shape)
        (2,)
        """
        slice_size = start_in_place_update(self, "sgd_update", slice_size)
        center, context = (as_ids(x) for x in inputs)
        dtype = self.input_embeddings.dtype
        valid = pairs_in_vocabulary(center, context, self.vocab_size)
        # An invalid pair reads word 0's path (it changes nothing).
        points, signs = self._paths(ops.where(valid, context, 0), dtype)

        def gradient(scores, s):
            return -s * ops.sigmoid(-s * scores), _path_losses(scores, s)

        return sgd_on_targets(
            self.input_embeddings,
            self.node_embeddings,
            center,
            points,
            valid,
            sample_weight,
            learning_rate,
            slice_size,
            gradient,
            (signs,),
        )

    def _paths(self, context, dtype):
        """Each context's path node ids and signs (0 past its end), `(B, L)`."""
        points = ops.take(ops.convert_to_tensor(self.path_points), context, axis=0)
        signs = ops.take(ops.convert_to_tensor(self.path_signs), context, axis=0)
        return points, ops.cast(signs, dtype)

    def log_probabilities(self, center):
        """`log p(w|c)` for every word w: shape `(batch, vocab_size)`, O(V log V)."""
        if not self.built:
            self.build(None)
        center = as_ids(center)
        e = ops.take(self.input_embeddings, center, axis=0)
        scores = ops.matmul(e, ops.transpose(self.node_embeddings))  # (B, V-1)
        points = ops.convert_to_tensor(self.path_points)
        signs = ops.cast(ops.convert_to_tensor(self.path_signs), e.dtype)
        path_scores = ops.take(scores, points, axis=1)  # (B, V, L)
        return ops.sum(ops.abs(signs) * ops.log_sigmoid(signs * path_scores), axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0][0],)

    def get_config(self):
        return {
            **super().get_config(),
            "counts": self.counts,
            "embedding_dim": self.embedding_dim,
            "embeddings_initializer": None
            if self._default_init
            else keras.initializers.serialize(self.embeddings_initializer),
            "node_initializer": keras.initializers.serialize(self.node_initializer),
        }


def _path_losses(scores, signs):
    """`-Σ_l |s_l| log σ(s_l x_l)`; padding steps (sign 0) add nothing."""
    return -ops.sum(ops.abs(signs) * ops.log_sigmoid(signs * scores), axis=-1)

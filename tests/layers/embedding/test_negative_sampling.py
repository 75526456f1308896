import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import NegativeSampling
from keras_seqlayers.layers.embedding.negative_sampling import _INFERENCE_SEED
from tests.harness import run_layer_test
from tests.layers.embedding.xla_updates import assert_tables_updated_in_place

COUNTS = [50, 20, 10, 5, 3, 2, 1, 1]


def _pairs(n=6, v=8, seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.integers(0, v, n).astype("int32"),
        rng.integers(0, v, n).astype("int32"),
    ]


def test_harness(tmp_path):
    run_layer_test(
        NegativeSampling,
        {
            "vocab_size": 8,
            "embedding_dim": 4,
            "num_negatives": 3,
            "counts": COUNTS,
            "seed": 7,
        },
        _pairs(),
        expected_output_shape=(6,),
        tmp_path=tmp_path,
    )


def test_noise_frequencies_match_counts_power():
    counts = np.array([1000, 300, 100, 30, 10, 3, 1, 7, 70, 700])
    layer = NegativeSampling(10, 2, counts=counts.tolist(), seed=1)
    layer.build(None)
    draws = keras.ops.convert_to_numpy(layer.sample_noise((1_000_000,)))
    freq = np.bincount(draws, minlength=10) / draws.size
    expected = counts**0.75 / np.sum(counts**0.75)
    assert 0.5 * np.abs(freq - expected).sum() < 0.01


def test_loss_matches_numpy_with_target_negatives_skipped():
    layer = NegativeSampling(
        8, 5, num_negatives=6, counts=COUNTS, output_initializer="random_normal"
    )
    center, context = _pairs(n=32, seed=1)
    loss = keras.ops.convert_to_numpy(layer([center, context]))
    negatives = keras.ops.convert_to_numpy(
        layer.sample_noise((32, 6), seed=_INFERENCE_SEED)
    )
    assert (negatives == context[:, None]).any()  # the case is exercised
    e = layer.input_embeddings.numpy()[center]
    theta = layer.output_embeddings.numpy()
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    expected = -np.log(sig(np.sum(e * theta[context], -1)))
    for k in range(6):
        neg = negatives[:, k]
        term = -np.log(sig(-np.sum(e * theta[neg], -1)))
        expected += np.where(neg == context, 0.0, term)
    np.testing.assert_allclose(loss, expected, rtol=1e-5, atol=1e-6)


def test_training_draws_fresh_noise_inference_is_fixed():
    layer = NegativeSampling(8, 3, counts=COUNTS, output_initializer="ones")
    x = _pairs(n=64)
    a = keras.ops.convert_to_numpy(layer(x, training=True))
    b = keras.ops.convert_to_numpy(layer(x, training=True))
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(layer(x)), keras.ops.convert_to_numpy(layer(x))
    )


def test_out_of_range_ids_are_an_error_or_nan():
    layer = NegativeSampling(8, 3, counts=COUNTS)
    with pytest.raises(Exception, match="indices"):
        layer([np.array([8]), np.array([0])])
    fn = tf.function(lambda c, t: layer([c, t]), jit_compile=True)
    out = fn(tf.constant([8, 1]), tf.constant([0, 2])).numpy()
    assert np.isnan(out[0])
    assert np.isfinite(out[1])


def test_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"`num_negatives` must be an integer >= 1.*num_negatives=0",
    ):
        NegativeSampling(8, 3, num_negatives=0)
    with pytest.raises(ValueError, match="`vocab_size` must be an integer >= 1"):
        NegativeSampling(0, 3)
    with pytest.raises(ValueError, match=r"finite and > 0 everywhere; received 0 "):
        NegativeSampling(3, 3, counts=[1, 0, 2])
    with pytest.raises(ValueError, match=r"received -1 at index 1"):
        NegativeSampling(3, 3, counts=[1, -1, 2])
    with pytest.raises(ValueError, match="`vocab_size`=3 entries; received 2"):
        NegativeSampling(3, 3, counts=[1, 2])
    for power in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="`power` must be a finite number >= 0"):
            NegativeSampling(3, 3, power=power)


def _sgd_in_slices(table, output, center, context, negatives, weight, lr, size):
    """word2vec's SGD step on each slice of pairs in turn (NumPy reference)."""
    table, output = table.copy(), output.copy()
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    targets = np.concatenate([context[:, None], negatives], axis=1)
    kept = np.concatenate(
        [np.ones_like(context[:, None]), negatives != context[:, None]], 1
    )
    label = np.zeros(targets.shape[1])
    label[0] = 1
    losses = []
    for start in range(0, len(center), size):
        c, t = center[start : start + size], targets[start : start + size]
        k, w = kept[start : start + size], weight[start : start + size]
        e, theta = table[c], output[t]
        s = np.sum(e[:, None, :] * theta, -1)
        terms = np.log(sig(np.where(label == 1, s, -s)))
        losses.append(-np.sum(k * terms, -1))
        g = (sig(s) - label) * k * w[:, None]
        np.add.at(output, t, -lr * g[..., None] * e[:, None, :])
        np.add.at(table, c, -lr * np.sum(g[..., None] * theta, 1))
    return table, output, np.concatenate(losses)


@pytest.mark.parametrize("jit", [False, True])
def test_sgd_update_is_sgd_on_each_slice_in_turn(jit):
    layer = NegativeSampling(
        6, 4, num_negatives=3, counts=COUNTS[:6], output_initializer="random_normal"
    )
    layer.build(None)
    # Few words: repeats within and across slices, negatives equal to the
    # context; the last slice is partial.
    center, context = _pairs(n=11, v=6, seed=2)
    weight = np.random.default_rng(3).uniform(0, 2, 11).astype("float32")
    table = layer.input_embeddings.numpy()
    output = layer.output_embeddings.numpy()
    state = layer.seed_generator.state.numpy()
    negatives = keras.ops.convert_to_numpy(layer.sample_noise((11, 3)))
    assert (negatives == context[:, None]).any()
    layer.seed_generator.state.assign(state)

    def update(c, t, w):
        return layer.sgd_update([c, t], 0.3, sample_weight=w, slice_size=4)

    if jit:
        update = tf.function(update, jit_compile=True)
    losses = keras.ops.convert_to_numpy(update(center, context, weight))
    expected = _sgd_in_slices(
        table, output, center, context, negatives, weight, 0.3, size=4
    )
    np.testing.assert_allclose(layer.input_embeddings.numpy(), expected[0], atol=1e-6)
    np.testing.assert_allclose(layer.output_embeddings.numpy(), expected[1], atol=1e-6)
    np.testing.assert_allclose(losses, expected[2], rtol=1e-5, atol=1e-6)


def test_sgd_update_leaves_pairs_outside_the_vocabulary_alone():
    layer = NegativeSampling(
        8, 3, counts=COUNTS, output_initializer="random_normal", seed=0
    )
    layer.build(None)
    table = layer.input_embeddings.numpy()
    fn = tf.function(lambda c, t: layer.sgd_update([c, t], 0.5), jit_compile=True)
    losses = fn(tf.constant([8, -1, 2, 5]), tf.constant([0, 1, 9, 6])).numpy()
    assert np.isnan(losses[:3]).all()
    assert np.isfinite(losses[3])
    # Only the valid pair's center row moved.
    changed = np.any(layer.input_embeddings.numpy() != table, axis=1)
    np.testing.assert_array_equal(np.flatnonzero(changed), [5])


def test_sgd_update_checks_slice_size():
    layer = NegativeSampling(8, 3)
    with pytest.raises(ValueError, match="`slice_size` must be an integer >= 1"):
        layer.sgd_update(_pairs(), 0.1, slice_size=0)


def test_sgd_update_under_xla_scatters_into_the_tables_in_place():
    # No table-sized temporary (zeros, sum or copy): each slice's update is a
    # scatter-add into the table, so its cost does not grow with the
    # vocabulary.
    layer = NegativeSampling(50_000, 8, seed=0)
    layer.build(None)
    fn = tf.function(
        lambda c, t: layer.sgd_update([c, t], 0.1, slice_size=4), jit_compile=True
    )
    ids = tf.range(1, 9)
    assert_tables_updated_in_place(fn, (ids, ids[::-1]), rows=50_000)


def test_sample_noise_seed_is_an_integer_or_a_generator():
    layer = NegativeSampling(8, 5, counts=COUNTS)
    np.testing.assert_array_equal(
        layer.sample_noise((4, 3), seed=np.int64(7)), layer.sample_noise((4, 3), seed=7)
    )
    for seed in (True, 7.0, "7"):
        with pytest.raises(TypeError, match=rf"received seed={seed!r}"):
            layer.sample_noise((4, 3), seed=seed)

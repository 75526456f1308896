"""`ksl.losses.GloVeLoss`: value and gradients against NumPy from the formula."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.layers import GloVe
from keras_seqlayers.losses import GloVeLoss


def numpy_weight(x, x_max, alpha):
    return np.where(x > 0, np.minimum(1.0, (np.maximum(x, 1e-300) / x_max) ** alpha), 0)


@pytest.mark.parametrize(("x_max", "alpha"), [(100.0, 0.75), (3.0, 0.5), (1.0, 1.0)])
def test_value_matches_numpy(x_max, alpha):
    rng = np.random.default_rng(0)
    x = rng.exponential(5.0, size=40)
    x[::4] = 0.0  # zero counts must not contribute
    pred = rng.normal(size=40)
    per_pair = (
        numpy_weight(x, x_max, alpha) * (pred - np.log(np.where(x > 0, x, 1))) ** 2
    )
    loss = GloVeLoss(x_max, alpha)
    np.testing.assert_allclose(float(loss(x, pred)), per_pair.sum(), rtol=1e-5)
    mean = GloVeLoss(x_max, alpha, reduction="sum_over_batch_size")
    np.testing.assert_allclose(float(mean(x, pred)), per_pair.mean(), rtol=1e-5)
    none = GloVeLoss(x_max, alpha, reduction=None)
    np.testing.assert_allclose(none(x, pred), per_pair, rtol=1e-5, atol=1e-7)


def test_zero_counts_give_finite_zero_gradient():
    pred = tf.Variable([0.3, -1.0])
    with tf.GradientTape() as tape:
        loss = GloVeLoss()(np.array([0.0, 0.0], "float32"), pred)
    grad = tape.gradient(loss, pred).numpy()
    assert float(loss) == 0.0
    np.testing.assert_array_equal(grad, [0.0, 0.0])


def test_negative_nan_or_infinite_counts_give_nan_terms_and_no_gradient():
    # Treated like X = 0 they would vanish from the loss without a word; an
    # infinite count would send an infinite gradient.
    y_true = tf.constant([-5.0, float("nan"), float("inf"), 10.0, 0.0])
    y_pred = tf.Variable([3.0, 1.0, 1.0, 2.0, 4.0])
    loss = GloVeLoss(x_max=10.0, reduction=None)
    with tf.GradientTape() as tape:
        terms = loss(y_true, y_pred)
        total = tf.reduce_sum(terms)
    grad = tape.gradient(total, y_pred).numpy()
    terms = terms.numpy()
    assert np.isnan(terms[:3]).all()
    np.testing.assert_allclose(terms[3:], [(2.0 - np.log(10.0)) ** 2, 0.0], rtol=1e-6)
    np.testing.assert_array_equal(grad[[0, 1, 2, 4]], 0.0)
    np.testing.assert_allclose(grad[3], 2 * (2.0 - np.log(10.0)), rtol=1e-6)
    assert np.isnan(float(GloVeLoss()(y_true, y_pred)))


def test_gradients_of_layer_and_loss_match_numpy():
    V, d = 8, 3
    rng = np.random.default_rng(1)
    i = rng.integers(0, V, size=30)
    j = rng.integers(0, V, size=30)
    x = rng.exponential(20.0, size=30)
    x[::5] = 0.0
    layer = GloVe(
        V, d, embeddings_initializer="random_normal", bias_initializer="random_normal"
    )
    layer.build()
    loss_fn = GloVeLoss(x_max=10.0, alpha=0.75)
    with tf.GradientTape() as tape:
        loss = loss_fn(x.astype("float32"), layer((i, j)))
    grads = tape.gradient(loss, layer.trainable_weights)
    grads = {
        w.name: tf.convert_to_tensor(g).numpy()
        for w, g in zip(layer.trainable_weights, grads, strict=True)
    }

    W = layer.word_embeddings.numpy().astype("float64")
    Wt = layer.context_embeddings.numpy().astype("float64")
    b = layer.word_bias.numpy().astype("float64")
    bt = layer.context_bias.numpy().astype("float64")
    diff = (W[i] * Wt[j]).sum(1) + b[i] + bt[j] - np.log(np.where(x > 0, x, 1))
    f = numpy_weight(x, 10.0, 0.75)
    np.testing.assert_allclose(float(loss), (f * diff**2).sum(), rtol=1e-5)
    g = 2 * f * diff  # dJ/dpred for each pair
    dW, dWt, db, dbt = np.zeros_like(W), np.zeros_like(Wt), np.zeros(V), np.zeros(V)
    np.add.at(dW, i, g[:, None] * Wt[j])
    np.add.at(dWt, j, g[:, None] * W[i])
    np.add.at(db, i, g)
    np.add.at(dbt, j, g)
    for name, expected in [
        ("word_embeddings", dW),
        ("context_embeddings", dWt),
        ("word_bias", db),
        ("context_bias", dbt),
    ]:
        np.testing.assert_allclose(
            grads[name], expected, rtol=1e-4, atol=1e-5, err_msg=name
        )


def test_config_round_trip():
    loss = GloVeLoss(x_max=20.0, alpha=0.5, reduction="sum_over_batch_size")
    config = keras.saving.serialize_keras_object(loss)
    again = keras.saving.deserialize_keras_object(config, safe_mode=True)
    assert isinstance(again, GloVeLoss)
    assert (again.x_max, again.alpha, again.reduction) == (
        20.0,
        0.5,
        "sum_over_batch_size",
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x_max": 0.0}, r"`x_max` must be a finite number > 0; received x_max=0\.0"),
        ({"x_max": -5}, "`x_max` must be a finite number > 0; received x_max=-5"),
        ({"x_max": float("inf")}, "received x_max=inf"),
        ({"alpha": 0}, "`alpha` must be a finite number > 0; received alpha=0"),
        ({"alpha": -0.75}, r"received alpha=-0\.75"),
        ({"alpha": float("nan")}, "received alpha=nan"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GloVeLoss(**kwargs)


def test_glove_loss_pairs_counts_of_shape_batch_by_one_with_scores():
    counts = np.array([3.0, 0.0, 120.0, 7.0])
    scores = np.array([0.5, 1.0, 4.0, -1.0])
    loss = GloVeLoss(reduction=None)
    flat = keras.ops.convert_to_numpy(loss(counts, scores))
    assert flat.shape == (4,)
    for y_true, y_pred in [(counts[:, None], scores), (counts, scores[:, None])]:
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(loss(y_true, y_pred)).reshape(-1), flat
        )

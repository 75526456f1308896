"""`ksl.models.GloVe`: it learns the structure of a co-occurrence matrix."""

import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_seqlayers as ksl


def structured_counts(V=50, rank=3, seed=0):
    """Counts drawn from a low-rank log-linear model: log X has structure."""
    rng = np.random.default_rng(seed)
    U = rng.normal(size=(V, rank))
    C = rng.normal(size=(V, rank))
    X = rng.poisson(np.exp(0.8 * U @ C.T + 1.0)).astype("float64")
    i, j = np.nonzero(X)
    return X, ksl.text.CooccurrenceMatrix(i, j, X[i, j], V)


def correlation(model, X):
    i, j = np.nonzero(X)
    dots = model.glove.vectors("word") @ model.glove.vectors("context").T
    return np.corrcoef(np.log(X[i, j]), dots[i, j])[0, 1]


def test_training_recovers_structure():
    X, matrix = structured_counts()
    model = ksl.models.GloVe(matrix.vocab_size, 8, x_max=10.0)
    assert abs(correlation(model, X)) < 0.2
    history = model.fit(matrix, epochs=15, batch_size=64, seed=0, verbose=0)
    assert correlation(model, X) > 0.4
    losses = history.history["loss"]
    assert len(losses) == 15
    assert losses[-1] < losses[0]


def test_default_compile_is_adagrad_at_0_05_with_glove_loss():
    model = ksl.models.GloVe(10, 4)
    model.compile()
    assert isinstance(model.optimizer, keras.optimizers.Adagrad)
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.05)
    assert isinstance(model.loss, ksl.losses.GloVeLoss)
    assert (model.loss.x_max, model.loss.alpha) == (100.0, 0.75)
    # One device: XLA and 32 steps per compiled call (the speed defaults).
    assert model.jit_compile is True
    assert model.steps_per_execution == 32


def test_default_compile_keeps_explicit_jit_and_steps_per_execution():
    model = ksl.models.GloVe(10, 4)
    model.compile(jit_compile=False, steps_per_execution=1)
    assert model.jit_compile is False
    assert model.steps_per_execution == 1


def test_fit_with_fewer_steps_than_one_execution_sees_every_pair():
    # 12 pairs at batch 4 are 3 steps, fewer than the default 32 per call.
    _, matrix = structured_counts(V=12, seed=3)
    pairs = (matrix.rows[:12], matrix.cols[:12])
    model = ksl.models.GloVe(12, 3)
    model.fit(pairs, matrix.values[:12], batch_size=4, epochs=2, verbose=0)
    assert int(model.optimizer.iterations) == 6


def _pair_batch(n, V=9, seed=6):
    rng = np.random.default_rng(seed)
    return (rng.integers(0, V, n), rng.integers(0, V, n)), rng.integers(0, 40, n)


def _train(
    pairs, counts, jit_compile, sample_weight=None, batch_size=None, **compile_kwargs
):
    """Two epochs (of one batch by default); the state and the history."""
    keras.utils.set_random_seed(7)
    model = ksl.models.GloVe(9, 4)
    model.compile(jit_compile=jit_compile, **compile_kwargs)
    history = model.fit(
        pairs,
        counts,
        sample_weight=sample_weight,
        batch_size=batch_size or len(counts),
        epochs=2,
        shuffle=False,
        verbose=0,
    )
    state = [v.numpy() for v in model.weights + model.optimizer.variables]
    return state, history.history


def test_default_adagrad_under_xla_steps_in_place_in_slices_of_4096():
    pairs, counts = _pair_batch(5000)
    in_place, _ = _train(pairs, counts, True)
    # Keras's own steps on the same pairs in batches of 4096 and 904.
    sliced, _ = _train(pairs, counts, False, batch_size=4096)
    # The state is the tables, the iterations, the learning rate, the sums.
    state = in_place[:4] + in_place[-4:]
    for a, b in zip(state, sliced[:4] + sliced[-4:], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # One autodiff step over the whole batch is another step.
    whole, _ = _train(pairs, counts, False)
    assert not np.allclose(in_place[0], whole[0], atol=1e-4)


def test_in_place_step_takes_targets_and_weights_of_shape_batch_by_one():
    pairs, counts = _pair_batch(300)
    column = counts.reshape(-1, 1)
    weights = _weighted(300).reshape(-1, 1)
    xla, xla_history = _train(pairs, column, True, weights)
    autodiff, autodiff_history = _train(pairs, column, False, weights)
    for a, b in zip(xla, autodiff, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(xla_history["loss"], autodiff_history["loss"], rtol=1e-5)


def _weighted(n):
    return np.random.default_rng(8).uniform(0, 2, n)


@pytest.mark.parametrize(
    ("kwargs", "batch"),
    [
        ({}, 300),
        ({"metrics": ["mae"]}, 300),
        ({"sample_weight": _weighted(300)}, 300),
        ({"loss_weights": 0.5}, 5000),
        ({"optimizer": keras.optimizers.Adagrad(0.05, clipnorm=1.0)}, 5000),
        ({"optimizer": keras.optimizers.Adagrad(0.05, use_ema=True)}, 5000),
        ({"optimizer": keras.optimizers.Adagrad(0.05, weight_decay=0.1)}, 5000),
        ({"optimizer": keras.optimizers.Adam(0.05)}, 5000),
        ({"loss": ksl.losses.GloVeLoss(reduction="mean")}, 5000),
    ],
    ids=[
        "adagrad",
        "metrics",
        "sample_weight",
        "loss_weights",
        "clipnorm",
        "ema",
        "weight_decay",
        "adam",
        "mean_loss",
    ],
)
def test_xla_steps_equal_keras_autodiff_steps(kwargs, batch):
    # Within one slice the in-place step is Keras's AdaGrad step (weights,
    # sums, loss, metrics); anything else keeps Keras's step.
    pairs, counts = _pair_batch(batch)
    kwargs = dict(kwargs)
    sample_weight = kwargs.pop("sample_weight", None)
    optimizer = kwargs.pop("optimizer", None)
    runs = []
    for jit in (True, False):
        opt = optimizer and type(optimizer).from_config(optimizer.get_config())
        runs.append(_train(pairs, counts, jit, sample_weight, optimizer=opt, **kwargs))
    (xla, xla_history), (autodiff, autodiff_history) = runs
    for a, b in zip(xla, autodiff, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert xla_history.keys() == autodiff_history.keys()
    for key in xla_history:
        np.testing.assert_allclose(xla_history[key], autodiff_history[key], rtol=1e-5)


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("regularizer", keras.regularizers.L2(0.1)),
        ("constraint", keras.constraints.NonNeg()),
    ],
)
def test_a_regularized_or_constrained_table_keeps_keras_step(attribute, value):
    # A regularizer adds a gradient term the closed form lacks, a constraint
    # a projection after the update: Keras's step runs, XLA and autodiff
    # agree.
    pairs, counts = _pair_batch(5000)
    runs = []
    for jit in (True, False):
        keras.utils.set_random_seed(7)
        model = ksl.models.GloVe(9, 4)
        setattr(model.glove.word_embeddings, attribute, value)
        model.compile(jit_compile=jit)
        model.fit(pairs, counts, batch_size=5000, epochs=2, verbose=0)
        runs.append(model.get_weights())
    for a, b in zip(*runs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_mixed_precision_keeps_keras_step():
    # Keras's step scores in the compute dtype; the in-place one would not.
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        model = ksl.models.GloVe(9, 4)
    finally:
        keras.config.set_dtype_policy("float32")
    model.compile()
    assert not model._trains_in_place()
    plain = ksl.models.GloVe(9, 4)
    plain.compile()
    assert plain._trains_in_place()


def test_fit_on_arrays_and_save_load(tmp_path):
    _, matrix = structured_counts(V=12, seed=1)
    model = ksl.models.GloVe(12, 3, x_max=5.0, alpha=0.5)
    model.fit((matrix.rows, matrix.cols), matrix.values, batch_size=16, verbose=0)
    assert model.built  # the in-place step does not call it
    path = str(tmp_path / "glove.keras")
    model.save(path)
    again = keras.saving.load_model(path, safe_mode=True)
    assert type(again) is ksl.models.GloVe
    np.testing.assert_array_equal(again.glove.vectors(), model.glove.vectors())
    assert (again.x_max, again.alpha) == (5.0, 0.5)
    assert again.loss.x_max == 5.0
    pairs = (matrix.rows[:5], matrix.cols[:5])
    np.testing.assert_allclose(
        again.predict(pairs, verbose=0), model.predict(pairs, verbose=0)
    )


def train_outside_fit(model, pairs, counts, steps):
    """AdaGrad steps through the layer: the model itself is never called."""
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = model.loss(counts, model.glove(pairs))
        grads = tape.gradient(loss, model.trainable_variables)
        model.optimizer.apply_gradients(
            zip(grads, model.trainable_variables, strict=True)
        )


@pytest.mark.parametrize("how", ["fit", "outside_fit", "untrained"])
def test_save_load_keeps_adagrad_state_and_training_continues(tmp_path, how):
    _, matrix = structured_counts(V=12, seed=2)
    model = ksl.models.GloVe(12, 3, x_max=5.0)
    pairs = (matrix.rows.astype("int32"), matrix.cols.astype("int32"))
    counts = matrix.values.astype("float32")
    if how == "fit":
        model.fit(pairs, counts, batch_size=16, epochs=2, shuffle=False, verbose=0)
    else:
        model.compile()
        if how == "outside_fit":
            train_outside_fit(model, pairs, counts, steps=3)
            assert not model.built  # the case Keras's loading used to skip
    path = str(tmp_path / "glove.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # saving an uncalled model warns
        model.save(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = keras.saving.load_model(path, safe_mode=True)
    assert not [w for w in caught if "Skipping variable loading" in str(w.message)]
    assert isinstance(again.optimizer, keras.optimizers.Adagrad)
    # Every optimizer variable (iterations, learning rate, one accumulator
    # per table) comes back with its saved value.
    saved = [keras.ops.convert_to_numpy(v) for v in model.optimizer.variables]
    loaded = [keras.ops.convert_to_numpy(v) for v in again.optimizer.variables]
    assert len(loaded) == len(saved) == 2 + len(model.trainable_variables)
    trained = how != "untrained"
    # After training the accumulators have left their initial value 1.
    assert any((a != 1).any() for a in saved[2:]) == trained
    for got, want in zip(loaded, saved, strict=True):
        np.testing.assert_array_equal(got, want)
    # The same further steps from the same state give the same tables.
    batch = (pairs[0][:20], pairs[1][:20]), counts[:20]
    for m in (model, again):
        for _ in range(2):
            m.train_on_batch(*batch)
    assert int(again.optimizer.iterations) == int(model.optimizer.iterations)
    for got, want in zip(again.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_bad_input():
    with pytest.raises(ValueError, match="`x_max` must be a finite number > 0"):
        ksl.models.GloVe(5, 2, x_max=0)
    with pytest.raises(ValueError, match="`x_max` must be a finite number > 0"):
        ksl.models.GloVe(5, 2, x_max=float("inf"))
    with pytest.raises(ValueError, match="`alpha` must be a finite number > 0"):
        ksl.models.GloVe(5, 2, alpha=-1)
    with pytest.raises(ValueError, match="received learning_rate=0"):
        ksl.models.GloVe(5, 2, learning_rate=0)
    with pytest.raises(ValueError, match="received learning_rate=nan"):
        ksl.models.GloVe(5, 2, learning_rate=float("nan"))
    model = ksl.models.GloVe(5, 2)
    i = np.array([0, 1])
    for count in (-2.0, float("nan"), float("inf")):
        with pytest.raises(
            ValueError,
            match=r"`y` \(the co-occurrence counts\) must be finite and >= 0.*"
            rf"{count!r}",
        ):
            model.fit((i, i), np.array([1.0, count]), verbose=0)
    for counts in (np.array(["1", "2"]), np.array([1 + 2j, 3 + 0j])):
        with pytest.raises(TypeError, match="`y` must hold the co-occurrence counts"):
            model.fit((i, i), counts, verbose=0)
    for bad in (7, -1, 1.5):
        with pytest.raises(
            ValueError,
            match=rf"`x` pair ids must be whole numbers in \[0, 5\).*id {bad!r}",
        ):
            model.fit((i, np.array([0, bad])), np.array([1.0, 2.0]), verbose=0)
    with pytest.raises(TypeError, match="`x` must hold integer pair ids"):
        model.fit((i, np.array(["a", "b"])), np.array([1.0, 2.0]), verbose=0)
    before = model.get_weights()
    with pytest.raises(ValueError, match="i and j must have one shape"):
        model.fit((i[:, None], i), np.array([1.0, 2.0]), verbose=0)
    for table, old in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(table, old)
    with pytest.raises(ValueError, match=r"`y` must hold the co-occurrence counts"):
        model.fit((i, i), verbose=0)
    other = ksl.text.CooccurrenceMatrix([0], [1], [1.0], vocab_size=6)
    with pytest.raises(ValueError, match="vocab_size 6 but the model has vocab_size 5"):
        model.fit(other, verbose=0)


def test_fit_on_a_matrix_without_seed_follows_keras_set_random_seed():
    X = ksl.text.cooccurrence([np.arange(3, 30)], 30, window=3, verbose=0)

    def weights(random_seed):
        keras.utils.set_random_seed(random_seed)
        model = ksl.models.GloVe(30, 4)
        model.fit(X, epochs=2, batch_size=16, verbose=0)
        return model.get_weights()

    first = weights(1)
    for table, again in zip(first, weights(1), strict=True):
        np.testing.assert_array_equal(table, again)
    assert not np.array_equal(first[0], weights(2)[0])


@pytest.mark.parametrize("count", [-3.0, float("inf")])
def test_a_dataset_pair_with_a_bad_count_changes_nothing_and_loss_is_nan(count):
    # Not read ahead like arrays: the bad pair is visible in the loss.
    model = ksl.models.GloVe(6, 2)
    before = [w.copy() for w in model.get_weights()]
    pairs = (np.array([1, 2]), np.array([3, 4]))
    dataset = tf.data.Dataset.from_tensors((pairs, np.array([count, 2.0])))
    history = model.fit(dataset, verbose=0)
    assert np.isnan(history.history["loss"][0])
    after = model.get_weights()
    for table, old in zip(after, before, strict=True):
        np.testing.assert_array_equal(table[[1, 3]], old[[1, 3]])
    assert not np.array_equal(after[0][2], before[0][2])

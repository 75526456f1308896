"""The one test harness that every public layer of the package goes through.

`run_layer_test` exercises a layer the way users will: config round trip,
`.keras` save and load in safe mode, symbolic and eager calls, a `Model.fit`
step eagerly and under XLA, mixed precision, masking, and SavedModel exports
(`ksl.serving.export` and Keras's `model.export`) loaded by `ksl.serving.check`
in its process, which cannot import `keras_seqlayers` or Keras.

Every check but the SavedModel exports is backend-neutral (`keras` and NumPy
only); `exports=False` leaves those out, so the same checks run under
Keras's JAX backend (tests/backend).
"""

import json

import keras
import numpy as np

from keras_seqlayers import serving


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _dtype(tensor):
    return keras.backend.standardize_dtype(tensor.dtype)


def _flat(outputs):
    return [keras.ops.convert_to_numpy(o) for o in keras.tree.flatten(outputs)]


def _model(layer, inputs, fixed_batch_size, call_kwargs):
    symbolic = [
        keras.Input(
            shape=x.shape[1:],
            dtype=str(x.dtype),
            batch_size=x.shape[0] if fixed_batch_size else None,
            name=f"input_{i}",
        )
        for i, x in enumerate(inputs)
    ]
    outputs = layer(symbolic if len(symbolic) > 1 else symbolic[0], **call_kwargs)
    return keras.Model(symbolic if len(symbolic) > 1 else symbolic[0], outputs)


def _fit_one_step(model, inputs, **compile_kwargs):
    outputs = model(inputs if len(inputs) > 1 else inputs[0])
    targets = keras.tree.map_structure(lambda o: np.zeros(o.shape, "float32"), outputs)
    model.compile(optimizer="adam", loss="mse", **compile_kwargs)
    history = model.fit(
        inputs if len(inputs) > 1 else inputs[0],
        targets,
        batch_size=inputs[0].shape[0],
        epochs=1,
        verbose=0,
        shuffle=False,
    )
    loss = history.history["loss"][-1]
    assert np.isfinite(loss), f"loss is {loss} with {compile_kwargs}"
    return loss


def _assert_close(actual, expected, atol, what):
    assert len(actual) == len(expected), what
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, atol=atol, rtol=atol, err_msg=what)


def check_config_round_trip(layer_cls, init_kwargs):
    """JSON-equal config after from_config, and the same attributes."""
    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    serialized = json.dumps(keras.saving.serialize_keras_object(layer), sort_keys=True)
    revived = layer_cls.from_config(json.loads(json.dumps(config)))
    assert json.dumps(revived.get_config(), sort_keys=True) == json.dumps(
        config, sort_keys=True
    )
    assert set(dir(revived)) == set(dir(layer))
    again = keras.saving.deserialize_keras_object(json.loads(serialized))
    assert type(again) is layer_cls
    for key, value in init_kwargs.items():
        if isinstance(value, (bool, int, float, str, type(None))):
            assert config[key] == value, f"config[{key!r}] != {value!r}"


def check_repeated_config_round_trips(layer, inputs):
    """`from_config` twice on one config, then on configs of revived copies:
    no call may change a config it is given or the layer's own, and every
    copy runs on `inputs` with the same config."""
    cls = type(layer)
    config = layer.get_config()
    saved = json.dumps(config, sort_keys=True)
    revived = [cls.from_config(config) for _ in range(2)]
    assert json.dumps(config, sort_keys=True) == saved
    assert json.dumps(layer.get_config(), sort_keys=True) == saved
    for _ in range(2):
        revived.append(cls.from_config(revived[-1].get_config()))
    for copy in revived:
        copy(inputs)
        assert json.dumps(copy.get_config(), sort_keys=True) == saved
    assert json.dumps(layer.get_config(), sort_keys=True) == saved


def check_export(model, inputs, tmp_path, atol, input_signature=None):
    """Export with `ksl.serving.export`, run `ksl.serving.check` (a process
    that cannot import keras_seqlayers or Keras loads it as TF Serving would,
    lists its ops and answers a REST request), compare outputs to eager.

    Subclassed models without symbolic inputs need `input_signature`."""
    info = serving.export(model, tmp_path / "exported", input_signature=input_signature)
    report = serving.check(
        info.path, inputs=dict(zip(info.input_names, inputs, strict=True))
    )
    served = [report.results[name] for name in info.output_names]
    expected = _flat(model(inputs if len(inputs) > 1 else inputs[0]))
    _assert_close(served, expected, atol, "SavedModel outputs differ from eager")
    return report.ops


def check_keras_export(model, inputs, tmp_path, atol):
    """Keras's own `model.export(...)` serves too: `ksl.serving.check` loads
    it in the check process (no keras_seqlayers, no Keras) and its `serve`
    signature answers as the eager model does."""
    saved = tmp_path / "keras_export"
    model.export(str(saved), verbose=False)
    names = [tensor.name for tensor in model.inputs]
    report = serving.check(
        saved, signature="serve", inputs=dict(zip(names, inputs, strict=True))
    )
    # Keras names the outputs of `serve` output_0, output_1, ... in flatten
    # order.
    served = [report.results[f"output_{i}"] for i in range(len(report.results))]
    expected = _flat(model(inputs if len(inputs) > 1 else inputs[0]))
    _assert_close(served, expected, atol, "model.export outputs differ from eager")


# Largest difference allowed between a mixed-precision run and the float32
# run of the same weights, as both `atol` and `rtol`. Chosen by measuring
# every layer configuration the harness runs (largest
# |mixed - float32| / (1 + |float32|) over all outputs: 1.2e-3 with
# mixed_float16 and 1.2e-2 with mixed_bfloat16, both from simple RNNs
# over 5 to 7 steps), then allowing about 2.5 times
# that. float16 keeps 11 significant bits and bfloat16 8, so a layer that
# computes in bfloat16 where its policy says float16 (an error near 4e-3)
# exceeds the float16 bound; tests/test_harness.py checks that it does.
MIXED_TOLERANCE = {"mixed_float16": 3e-3, "mixed_bfloat16": 3e-2}


def _fresh_model(layer_cls, init_kwargs, inputs, weights, dtype, **options):
    """A new layer in `dtype`, in a model, carrying `weights`."""
    layer = layer_cls(**init_kwargs, dtype=dtype)
    if options["configure"] is not None:
        options["configure"](layer)
    model = _model(layer, inputs, options["fixed_batch_size"], options["call_kwargs"])
    model.set_weights(weights)
    return model


def check_mixed_precision(layer_cls, init_kwargs, inputs, weights, **options):
    """Under each mixed policy, outputs come in the compute dtype, stay
    within `MIXED_TOLERANCE` of the float32 outputs of the same weights, and
    one `fit` step runs.

    Fresh layers on both sides, so that carried state (stateful layers)
    and random draws start alike.

    Options: `fixed_batch_size`, `call_kwargs` and `configure`, as in
    `run_layer_test`.
    """
    single = inputs if len(inputs) > 1 else inputs[0]
    reference = _fresh_model(layer_cls, init_kwargs, inputs, weights, None, **options)
    expected = _flat(reference(single))
    for policy, tolerance in MIXED_TOLERANCE.items():
        mixed = _fresh_model(layer_cls, init_kwargs, inputs, weights, policy, **options)
        outputs = keras.tree.flatten(mixed(single))
        compute_dtype = keras.dtype_policies.get(policy).compute_dtype
        for output in outputs:
            if "float" in _dtype(output):
                assert _dtype(output) == compute_dtype, policy
        _assert_close(
            [np.asarray(o, "float32") for o in _flat(outputs)],
            expected,
            tolerance,
            f"{policy} outputs differ from float32 beyond {tolerance}",
        )
        _fit_one_step(mixed, inputs)


def run_layer_test(
    layer_cls,
    init_kwargs,
    input_data,
    *,
    expected_output_shape=None,
    call_kwargs=None,
    mask=None,
    fixed_batch_size=False,
    trains=True,
    mixed_precision=True,
    configure=None,
    exports=True,
    tmp_path,
    atol=1e-5,
):
    """Runs every check of the house on one layer configuration.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_data: a NumPy array, or a list of arrays for several inputs.
        expected_output_shape: shape (or nested shapes) of the outputs for
            `input_data`; checked for eager and symbolic calls.
        call_kwargs: extra keyword arguments of the call (not tensors).
        mask: optional boolean `(batch, time)` mask; if given, outputs must
            not depend on inputs at masked positions.
        fixed_batch_size: give the symbolic inputs a fixed batch size
            (stateful layers need it).
        trains: whether `fit` must change a trainable weight.
        mixed_precision: run `mixed_float16` and `mixed_bfloat16`.
        configure: optional function called with every freshly constructed
            layer before its first call, to load state that is not part of
            the config (e.g. the non-trainable tables of `Debias`); the
            `.keras` and SavedModel checks then prove that state is saved.
        exports: run the SavedModel checks (`ksl.serving.export` and
            `model.export`, served by `ksl.serving.check`), which need the
            TensorFlow backend.
        tmp_path: a pytest `tmp_path`.
        atol: tolerance for comparisons between runs of the same weights.
    """
    call_kwargs = call_kwargs or {}
    inputs = _as_list(input_data)
    single = inputs if len(inputs) > 1 else inputs[0]

    check_config_round_trip(layer_cls, init_kwargs)

    layer = layer_cls(**init_kwargs)
    if configure is not None:
        configure(layer)
    eager = layer(single, **call_kwargs)
    if expected_output_shape is not None:
        shapes = keras.tree.map_structure(lambda o: tuple(o.shape), eager)
        assert shapes == expected_output_shape, (shapes, expected_output_shape)
    for output in keras.tree.flatten(eager):
        if "float" in _dtype(output):
            assert _dtype(output) == layer.compute_dtype

    model = _model(layer, inputs, fixed_batch_size, call_kwargs)
    symbolic = keras.tree.flatten(model.outputs)
    if expected_output_shape is not None:
        for sym, out in zip(symbolic, keras.tree.flatten(eager), strict=True):
            assert tuple(sym.shape)[1:] == tuple(out.shape)[1:]
    _assert_close(_flat(model(single)), _flat(eager), atol, "model != layer call")

    path = str(tmp_path / "model.keras")
    model.save(path)
    reloaded = keras.saving.load_model(path, safe_mode=True)
    _assert_close(
        _flat(reloaded(single)), _flat(model(single)), atol, ".keras reload differs"
    )

    if exports:
        check_export(model, inputs, tmp_path, atol)
        check_keras_export(model, inputs, tmp_path, atol)

    if mask is not None:
        masked = _flat(layer(single, mask=mask, **call_kwargs))
        noisy = [x.copy() for x in inputs]
        noisy[0][~mask] = noisy[0][~mask] * 3 + 1
        moved = _flat(
            layer(noisy if len(noisy) > 1 else noisy[0], mask=mask, **call_kwargs)
        )
        _assert_close(moved, masked, atol, "outputs depend on masked steps")

    before = [w.numpy().copy() for w in model.trainable_weights]
    _fit_one_step(model, inputs, run_eagerly=True)
    _fit_one_step(model, inputs, jit_compile=True)
    if trains:
        after = [w.numpy() for w in model.trainable_weights]
        assert before, "the layer has no trainable weights"
        assert any(
            not np.array_equal(b, a) for b, a in zip(before, after, strict=True)
        ), "fit changed no weight"

    if mixed_precision:
        check_mixed_precision(
            layer_cls,
            init_kwargs,
            inputs,
            model.get_weights(),
            fixed_batch_size=fixed_batch_size,
            call_kwargs=call_kwargs,
            configure=configure,
        )
    return layer

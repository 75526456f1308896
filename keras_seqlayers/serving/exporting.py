"""`export`: a Keras model as a SavedModel in TF Serving's layout.

`export` writes `path/<version>/`, the layout TF Serving watches, with a
`serving_default` signature whose inputs and outputs have names. Given a
vocabulary (or any in-graph text encoder, see `text.py`) the default
signature takes a batch of raw strings and tokenizes them in the graph with
tensorflow-text and a lookup table, so clients send text; the id-level
signature is kept as `serve_ids`. Next to the SavedModel it stores an
example REST request, which `check` answers.

TensorFlow backend only: TF Serving runs TensorFlow graphs, and under
another Keras backend the model would be exported through jax2tf as an
`XlaCallModule` op, which TF Serving lacks (and the text signatures mix
TensorFlow ops into the model's trace).
"""

import dataclasses
import json
import os
import re
import shutil

import keras
import tensorflow as tf

from keras_seqlayers.checks import (
    check_bool,
    check_positive_int,
    check_tensorflow_backend,
)
from keras_seqlayers.serving.probe import (
    EXAMPLE_FILE,
    SIGNATURE,
    synthesize_instances,
)
from keras_seqlayers.serving.text import vocabulary_encoder
from keras_seqlayers.tokens import NUM_RESERVED, PAD_ID

IDS_SIGNATURE = "serve_ids"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclasses.dataclass
class ExportInfo:
    """What `export` wrote.

    Attributes:
        path: the version directory (`path/<version>`).
        signatures: `{signature name: {"inputs": [...], "outputs": [...]}}`
            with the input and output names in call/flatten order.
        example_request: the REST body stored in
            `assets.extra/example_request.json` (used by `check`).
    """

    path: str
    signatures: dict
    example_request: dict

    @property
    def output_names(self):
        """Output names of `serving_default`, in the model's output order."""
        return self.signatures[SIGNATURE]["outputs"]

    @property
    def input_names(self):
        """Input names of `serving_default`, in call order."""
        return self.signatures[SIGNATURE]["inputs"]


# ----- names and specs ------------------------------------------------------


def _check_name(argument, name):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"`{argument}` must hold names made of letters, digits and "
            f"underscores, starting with a letter; received {name!r}."
        )
    return name


def _given_names(argument, names, count, what):
    """User-given signature names: valid, distinct, one per `what`."""
    names = [_check_name(argument, n) for n in names]
    if len(set(names)) != len(names):
        raise ValueError(f"`{argument}` must not repeat a name; received {names}.")
    if len(names) != count:
        raise ValueError(
            f"`{argument}` must have one name per {what} ({count}); received {names}."
        )
    return names


def _default_names(candidates, fallback):
    """Candidate names if usable as signature keys, else `fallback_i`."""
    usable = all(isinstance(n, str) and _NAME.match(n) for n in candidates)
    if candidates and usable and len(set(candidates)) == len(candidates):
        return list(candidates)
    if len(candidates) == 1:
        return [fallback]
    return [f"{fallback}_{i}" for i in range(len(candidates))]


def _input_specs(model, input_signature):
    if input_signature is None:
        try:
            symbolic = model.inputs
        except (AttributeError, ValueError):
            symbolic = None
        if not symbolic:
            raise ValueError(
                f"Cannot tell the inputs of {type(model).__name__}: it has no "
                "symbolic `inputs` (a subclassed model). Pass "
                "`input_signature=[keras.InputSpec(shape=..., dtype=...)]`."
            )
        input_signature = list(symbolic)
    elif not isinstance(input_signature, (list, tuple)) or not input_signature:
        raise ValueError(
            "`input_signature` must be a non-empty list of `keras.InputSpec`, "
            f"`tf.TensorSpec` or `keras.Input` tensors; received {input_signature!r}."
        )
    specs, names = [], []
    for spec in input_signature:
        if isinstance(spec, tf.TensorSpec):
            shape, dtype, name = spec.shape.as_list(), spec.dtype.name, spec.name
        elif isinstance(spec, keras.InputSpec) or keras.backend.is_keras_tensor(spec):
            shape = None if spec.shape is None else list(spec.shape)
            dtype = spec.dtype
            name = getattr(spec, "name", None)
        else:
            raise TypeError(
                "`input_signature` entries must be `keras.InputSpec`, "
                f"`tf.TensorSpec` or `keras.Input` tensors; received {spec!r}."
            )
        if shape is None or dtype is None:
            raise ValueError(
                "`input_signature` entries need a shape and a dtype; "
                f"received {spec!r}."
            )
        specs.append((shape, tf.as_dtype(keras.backend.standardize_dtype(dtype))))
        names.append(name)
    return specs, names


def _output_candidates(model, num_outputs):
    names = getattr(model, "output_names", None)
    if isinstance(names, (list, tuple)) and len(names) == num_outputs:
        return list(names)
    return [None] * num_outputs


# ----- the steps of export --------------------------------------------------


def _check_text_options(vocabulary, text_encoder, max_length, add_eos, text_window):
    """Checks the text-signature arguments; returns `(text, max_length,
    add_eos)`, `text` telling whether the default signature reads text."""
    if vocabulary is not None and text_encoder is not None:
        raise ValueError("Pass `vocabulary` or `text_encoder`, not both.")
    text = vocabulary is not None or text_encoder is not None
    if text_encoder is not None and not callable(text_encoder):
        raise TypeError(f"`text_encoder` must be callable; received {text_encoder!r}.")
    max_length = check_positive_int("max_length", max_length, allow_none=True)
    add_eos = check_bool("add_eos", add_eos)
    if text_window not in ("first", "last"):
        raise ValueError(
            f'`text_window` must be "first" or "last"; received {text_window!r}.'
        )
    if text_window == "last" and max_length is None:
        raise ValueError('`text_window="last"` needs `max_length`.')
    if (max_length is not None or add_eos) and not text:
        raise ValueError(
            "`max_length` and `add_eos` apply to text signatures: pass "
            "`vocabulary` or `text_encoder` too."
        )
    if add_eos and text_encoder is not None:
        raise ValueError(
            "`add_eos` needs `vocabulary` (a `text_encoder` adds its own)."
        )
    return text, max_length, add_eos


def _check_model_and_example(model, endpoint, text_decoder, example):
    for argument, value in (("endpoint", endpoint), ("text_decoder", text_decoder)):
        if value is not None and not callable(value):
            raise TypeError(f"`{argument}` must be callable; received {value!r}.")
    if not getattr(model, "built", False):
        raise ValueError(
            "The model must be built (called once) before export; "
            f"{model.name!r} is not."
        )
    if example is not None and not (
        isinstance(example, dict) and ("instances" in example or "inputs" in example)
    ):
        raise ValueError(
            '`example` must be a REST body, a dict with "instances" or "inputs"; '
            f"received {example!r}."
        )


def _version_directory(path, version, overwrite):
    directory = os.path.join(os.fspath(path), str(version))
    if os.path.exists(directory) and not overwrite:
        raise FileExistsError(
            f"{directory} exists; pass `overwrite=True` or a new `version`."
        )
    return directory


def _id_inputs(model, input_signature, input_names, text, max_length):
    """The id-level inputs: `[(shape, tf.DType)]` and their names."""
    specs, default_names = _input_specs(model, input_signature)
    if input_names is not None:
        names = _given_names("input_names", list(input_names), len(specs), "input")
    else:
        names = _default_names(default_names, "input")
    if text:
        if len(specs) != 1 or len(specs[0][0]) != 2 or not specs[0][1].is_integer:
            raise ValueError(
                "A text signature needs a model with one integer input of shape "
                f"(batch, time); the model's inputs are {specs}."
            )
        fixed = specs[0][0][1]
        if fixed is not None and max_length != fixed:
            raise ValueError(
                f"The model's time dimension is fixed at {fixed}: pass "
                f"`max_length={fixed}`; received max_length={max_length}."
            )
    return specs, names


def _served_function(model, endpoint):
    """What the signatures call on the model's inputs."""
    if endpoint is not None:
        return endpoint

    def run(inputs):
        return model(inputs, training=False)

    return run


def _output_names(model, run, specs, output_names, text_decoder, text_output_name):
    """Names of the id-level outputs, found by tracing `run` on the specs.

    Traced, not called on made-up values: a model may refuse values that
    are not real inputs (Word2Vec refuses its reserved ids)."""

    def traced(*inputs):
        return run(list(inputs) if len(inputs) > 1 else inputs[0])

    outputs = (
        tf.function(traced, autograph=False)
        .get_concrete_function(*[tf.TensorSpec(s, t) for s, t in specs])
        .structured_outputs
    )
    flat = keras.tree.flatten(outputs)
    if text_decoder is not None:
        dtypes = [keras.backend.standardize_dtype(f.dtype) for f in flat]
        if len(flat) != 1 or "int" not in dtypes[0]:
            raise ValueError(
                "`text_decoder` needs a model (or `endpoint`) with one integer "
                f"output; it has {len(flat)} output(s) of dtypes {dtypes}."
            )
    if output_names is not None:
        names = _given_names("output_names", list(output_names), len(flat), "output")
    elif text_decoder is not None:
        names = ["token_ids"]
    elif isinstance(outputs, dict):
        names = _default_names(sorted(outputs), "output")
    else:
        names = _default_names(_output_candidates(model, len(flat)), "output")
        if len(flat) == 1 and names == ["output"]:
            names = ["outputs"]
    if text_decoder is not None and text_output_name in names:
        raise ValueError(
            f"`text_output_name`={text_output_name!r} is also an output name."
        )
    return names


def _id_endpoint(run, output_names, text_decoder, text_output_name):
    """The id-level signature function: named outputs (and decoded text)."""

    def serve_ids(*args):
        flat = keras.tree.flatten(run(list(args) if len(args) > 1 else args[0]))
        served = dict(zip(output_names, flat, strict=True))
        if text_decoder is not None:
            served[text_output_name] = text_decoder(flat[0])
        return served

    return serve_ids


def _fit_window(ids, max_length, text_window):
    """Ragged or dense ids -> a dense batch, padded with `<PAD>` and cut to
    `max_length` ids (the first ones, or the last ones for "last")."""
    if text_window == "last":
        if isinstance(ids, tf.RaggedTensor):
            lengths = ids.row_lengths()
            ids = ids.to_tensor(default_value=PAD_ID)
        else:
            lengths = tf.reduce_sum(tf.cast(ids != PAD_ID, tf.int64), axis=1)
        # Reverse each row's real part, keep the first max_length ids (the
        # last ones of the row), reverse back: the padding ends up at the
        # start.
        ids = tf.pad(ids, [[0, 0], [0, max_length]], constant_values=PAD_ID)
        ids = tf.reverse_sequence(ids, lengths, seq_axis=1, batch_axis=0)
        return tf.reverse(ids[:, :max_length], axis=[1])
    if isinstance(ids, tf.RaggedTensor):
        return ids.to_tensor(default_value=PAD_ID, shape=[None, max_length])
    if max_length is not None:
        ids = ids[:, :max_length]
        padding = [[0, 0], [0, max_length - tf.shape(ids)[1]]]
        ids = tf.pad(ids, padding, constant_values=PAD_ID)
    return ids


def _add_endpoints(archive, serve_ids, id_specs, id_names, outputs, text):
    """Adds the signatures to `archive`; returns their input and output names.

    `text` is None, or `(encode, resources, text_input_name, max_length,
    text_window)` for a default signature that reads strings.
    """
    id_signature = {"inputs": id_names, "outputs": outputs}
    if text is None:
        archive.add_endpoint(SIGNATURE, serve_ids, input_signature=id_specs)
        return {SIGNATURE: id_signature}
    encode, resources, text_input_name, max_length, text_window = text
    for resource in resources:
        archive.track(resource)
    id_dtype = id_specs[0].dtype

    def serve_text(texts):
        ids = _fit_window(encode(texts), max_length, text_window)
        return serve_ids(tf.cast(ids, id_dtype))

    text_spec = tf.TensorSpec([None], tf.string, name=text_input_name)
    archive.add_endpoint(SIGNATURE, serve_text, input_signature=[text_spec])
    archive.add_endpoint(IDS_SIGNATURE, serve_ids, input_signature=id_specs)
    return {
        SIGNATURE: {"inputs": [text_input_name], "outputs": outputs},
        IDS_SIGNATURE: id_signature,
    }


def _write_example(directory, example, text, vocabulary, id_specs):
    """Stores the example REST request (made up when not given); returns it."""
    if example is None and text:
        words = []
        if vocabulary is not None:
            words = vocabulary.words[NUM_RESERVED : NUM_RESERVED + 5]
        first = " ".join(words) if words else "hello world"
        example = {"instances": [first, first.split(" ")[0]]}
    elif example is None:
        dtype = keras.backend.standardize_dtype
        example = synthesize_instances(
            {s.name: (dtype(s.dtype.name), s.shape.as_list()) for s in id_specs}
        )
    os.makedirs(os.path.join(directory, "assets.extra"), exist_ok=True)
    with open(os.path.join(directory, EXAMPLE_FILE), "w", encoding="utf-8") as f:
        json.dump(example, f)
    return example


def export(
    model,
    path,
    version=1,
    *,
    vocabulary=None,
    text_encoder=None,
    max_length=None,
    add_eos=False,
    input_signature=None,
    input_names=None,
    output_names=None,
    text_input_name="text",
    text_window="first",
    endpoint=None,
    text_decoder=None,
    text_output_name="text",
    example=None,
    overwrite=False,
):
    """Exports a Keras model as a SavedModel in TF Serving's layout.

    Writes `path/<version>/` with a `serving_default` signature whose inputs
    and outputs are named. With `vocabulary` (or `text_encoder`) the model
    must take one integer input of shape `(batch, time)`; `serving_default`
    then takes a `(batch,)` string tensor, tokenizes and looks the tokens up
    in the graph, pads with id 0 (`<PAD>`) and calls the model, and the
    id-level signature is kept as `serve_ids`.

    The model runs with `training=False`. Nothing of this package is
    needed to load or serve the result (see `check`).

    Needs the TensorFlow backend (`KERAS_BACKEND=tensorflow`, the default):
    under another backend Keras exports through jax2tf into an
    `XlaCallModule` op that TF Serving cannot run. A model trained under
    JAX exports after its `.keras` file is loaded in a TensorFlow-backend
    process.

    Args:
        model: a built Keras model.
        path: the model's base directory (TF Serving's `model_base_path`).
        version: int >= 1, the version subdirectory.
        vocabulary: a `keras_seqlayers.text.Vocabulary`; its tokenizer and
            in-graph lookup table make the text signature.
        text_encoder: instead of `vocabulary`, a function mapping a `(batch,)`
            `tf.string` tensor to `(batch, None)` int ids (ragged or dense)
            with TensorFlow and tensorflow-text ops only. Lookup tables it
            uses must be tracked by the model.
        max_length: with text, pad or cut every row to exactly this many
            ids (needed by models with a fixed time dimension); `None`: pad
            to the longest row of the batch.
        add_eos: with `vocabulary`, append `<EOS>` to every row before
            padding.
        input_signature: list of `keras.InputSpec`/`tf.TensorSpec`, for models
            without symbolic inputs (subclassed models); default
            `model.inputs`.
        input_names: names of the id-level inputs, in call order; default the
            `keras.Input` names (`input_i` when unusable).
        output_names: names of the outputs in `keras.tree.flatten` order;
            default the keys of a dict output, the functional model's
            `output_names`, else `outputs`/`output_i`.
        text_input_name: the name of the text input.
        text_window: with `max_length`, which ids of a longer row are kept:
            `"first"` (padding at the end) or `"last"` (the last
            `max_length` ids, padding at the start: what a next-word
            model with a fixed context wants).
        endpoint: a function of the model's inputs to serve instead of
            `model(inputs, training=False)`, traced with autograph off
            (e.g. `seq2seq.generate`); it must use the model's weights only.
        text_decoder: a function of the (single) int output of the model or
            endpoint giving a `(batch,)` string tensor (e.g. `TextDecoder`),
            served as the extra output `text_output_name`.
        text_output_name: the name of that text output.
        example: a REST body (`{"instances": [...]}`) stored as
            `assets.extra/example_request.json` and used by `check`; default
            two synthesized instances (for text: words of the vocabulary).
        overwrite: replace an existing version directory.

    Returns:
        An `ExportInfo` (version directory, signature names, example).

    Example:

    >>> import keras, tempfile
    >>> tokens = keras.Input((None,), dtype="int32", name="tokens")
    >>> x = keras.layers.Embedding(10, 4)(tokens)
    >>> model = keras.Model(tokens, keras.layers.Dense(2, name="logits")(x))
    >>> info = export(model, tempfile.mkdtemp())
    >>> info.signatures["serving_default"]
    {'inputs': ['tokens'], 'outputs': ['logits']}
    """
    check_tensorflow_backend(
        "export",
        "TF Serving runs TensorFlow graphs; other backends export an "
        "XlaCallModule op it lacks",
        "Save the model as `.keras` and export it from a process started with "
        "KERAS_BACKEND=tensorflow.",
    )
    version = check_positive_int("version", version)
    overwrite = check_bool("overwrite", overwrite)
    text, max_length, add_eos = _check_text_options(
        vocabulary, text_encoder, max_length, add_eos, text_window
    )
    _check_model_and_example(model, endpoint, text_decoder, example)
    directory = _version_directory(path, version, overwrite)
    specs, input_names = _id_inputs(
        model, input_signature, input_names, text, max_length
    )
    if text:
        _check_name("text_input_name", text_input_name)
    if text_decoder is not None:
        _check_name("text_output_name", text_output_name)
    run = _served_function(model, endpoint)
    output_names = _output_names(
        model, run, specs, output_names, text_decoder, text_output_name
    )
    serve_ids = _id_endpoint(run, output_names, text_decoder, text_output_name)
    if text_decoder is not None:
        output_names = [*output_names, text_output_name]
    id_specs = [
        tf.TensorSpec(shape, dtype, name=name)
        for (shape, dtype), name in zip(specs, input_names, strict=True)
    ]
    text_signature = None
    if text:
        encode, resources = vocabulary_encoder(vocabulary, text_encoder, add_eos)
        text_signature = (encode, resources, text_input_name, max_length, text_window)
    archive = keras.export.ExportArchive()
    archive.track(model)
    signatures = _add_endpoints(
        archive, serve_ids, id_specs, input_names, output_names, text_signature
    )
    if os.path.exists(directory):
        shutil.rmtree(directory)
    archive.write_out(directory, verbose=False)
    example = _write_example(directory, example, text, vocabulary, id_specs)
    return ExportInfo(directory, signatures, example)

"""Export models to SavedModels for TF Serving, and check that they serve.

`export` writes `path/<version>/`, the layout TF Serving watches, with a
`serving_default` signature whose inputs and outputs have names. Given a
vocabulary (or any in-graph text encoder) the default signature takes a
batch of raw strings and tokenizes them in the graph with tensorflow-text
and a lookup table, so clients send text; the id-level signature is kept as
`serve_ids`.

`check` proves a SavedModel is servable the way TF Serving would serve it:
in a separate Python process that cannot import `keras_seqlayers` or Keras,
it loads the model with the TF1 `Session` loader (what the model server's
`SavedModelBundle` does), lists every op of the graph and of its function
library, fails on any op outside core TensorFlow and tensorflow-text or
known not to run in a CPU model server (`CudnnRNN*`, Python functions),
runs the signature on an example, and answers a REST body
(`{"instances": [...]}` or `{"inputs": ...}`) with JSON converted to the
signature's dtypes and the response built as TF Serving's REST API does.

From a shell::

    python -m keras_seqlayers.serving check saved_models/classifier

This module imports only the standard library and NumPy at load time
(TensorFlow and Keras inside functions), because the check process runs its
probe from this very file without the package.
"""

import argparse
import base64
import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

SIGNATURE = "serving_default"
IDS_SIGNATURE = "serve_ids"
EXAMPLE_FILE = os.path.join("assets.extra", "example_request.json")
# Ops that core TensorFlow registers but that a CPU-only TF Serving model
# server cannot run: cuDNN kernels exist only on GPUs (keras#18504), and
# Python functions need the Python interpreter the server does not have.
FORBIDDEN_OPS = ("EagerPyFunc", "PyFunc", "PyFuncStateless")
FORBIDDEN_OP_PREFIXES = ("Cudnn",)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class NotServableError(Exception):
    """A SavedModel failed `check`; `report` holds what was found."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


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


@dataclasses.dataclass
class CheckReport:
    """What `check` found.

    Attributes:
        path: the version directory that was checked.
        signature: the signature that was run.
        signatures: names of all signatures in the SavedModel.
        inputs, outputs: `{name: {"dtype": str, "shape": list}}` of the
            signature (`-1` for unknown dimensions).
        ops: every op type in the graph and its function library, sorted.
        problems: what makes the model unservable (empty when it serves).
        request, response: the REST body that was answered and the answer.
        results: `{output name: np.ndarray}` for the `inputs` given to
            `check` (empty when none were given).
    """

    path: str
    signature: str
    signatures: list
    inputs: dict
    outputs: dict
    ops: list
    problems: list
    request: dict
    response: dict
    results: dict

    def summary(self):
        lines = [
            f"SavedModel: {self.path}",
            f"signatures: {', '.join(self.signatures)}",
            f"signature {self.signature!r}:",
        ]
        for kind, specs in (("input", self.inputs), ("output", self.outputs)):
            for name, spec in specs.items():
                lines.append(f"  {kind} {name}: {spec['dtype']} {spec['shape']}")
        lines.append(f"{len(self.ops)} op types: {', '.join(self.ops)}")
        lines.append(f"request: {json.dumps(self.request)[:500]}")
        lines.append(f"response: {json.dumps(self.response)[:500]}")
        if self.problems:
            lines.append("NOT SERVABLE:")
            lines.extend(f"  - {p}" for p in self.problems)
        else:
            lines.append("servable: yes")
        return "\n".join(lines)


# ----------------------------------------------------------------------
# export
# ----------------------------------------------------------------------


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
    import keras
    import tensorflow as tf

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


_PAD_ID, _UNK_ID, _EOS_ID = 0, 1, 2
# How the ready-made models store whitespace characters as tokens
# (`keras_seqlayers.models`): "▁" for a space, "↵" for a newline, and
# "<U+XXXX>" for any other whitespace character.
_WHITESPACE_TOKENS = {" ": "\u2581", "\n": "\u21b5"}


def _token_to_char(token):
    for char, stand_in in _WHITESPACE_TOKENS.items():
        if token == stand_in:
            return char
    if token.startswith("<U+") and token.endswith(">") and len(token) > 4:
        return chr(int(token[3:-1], 16))
    return token


def _check_tokens(tokens, level):
    from keras_seqlayers.text.vocabulary import RESERVED, Vocabulary

    if isinstance(tokens, Vocabulary):
        tokens = tokens.words
    if isinstance(tokens, str) or not isinstance(tokens, (list, tuple)):
        raise TypeError(
            "`tokens` must be a `keras_seqlayers.text.Vocabulary` or a list of "
            f"tokens in id order; received {type(tokens).__name__}."
        )
    tokens = [str(t) for t in tokens]
    if tuple(tokens[: len(RESERVED)]) != RESERVED:
        raise ValueError(
            f"`tokens` must start with the reserved tokens {RESERVED}; received "
            f"{tokens[:3]!r}."
        )
    if level not in ("word", "char"):
        raise ValueError(f'`level` must be "word" or "char"; received {level!r}.')
    return tokens


class TextEncoder:
    """In-graph text to ids, as the ready-made models encode text.

    Word level: `keras_seqlayers.text.Tokenizer(lowercase, split)` then a
    lookup table; character level: one token per Unicode character (spaces,
    newlines and other whitespace mapped to the models' stand-in tokens).
    Unknown tokens become `<UNK>`. Pass it to `export(text_encoder=...)`;
    its lookup table is exported with the model.

    Args:
        tokens: a `Vocabulary` or the token list in id order (`<PAD>`,
            `<UNK>`, `<EOS>` first), e.g. `model.vocabulary`.
        level: `"word"` or `"char"`.
        lowercase: lower-case the text first.
        split: the word-level `Tokenizer` split mode.
        prefix_ids, suffix_ids: ids put before/after every row (a language
            model reads `<EOS>` first: `prefix_ids=[2]`).

    Example:

    >>> encode = TextEncoder(["<PAD>", "<UNK>", "<EOS>", "a", "b"], level="char")
    >>> encode(["ab", "ba c"]).to_list()
    [[3, 4], [4, 3, 1, 1]]
    """

    def __init__(
        self,
        tokens,
        level="word",
        lowercase=False,
        split="whitespace",
        prefix_ids=(),
        suffix_ids=(),
    ):
        import tensorflow as tf

        from keras_seqlayers.checks import check_bool, is_integer
        from keras_seqlayers.text import Tokenizer

        self.tokens = _check_tokens(tokens, level)
        self.level = level
        lowercase = check_bool("lowercase", lowercase)
        self.tokenizer = (
            Tokenizer(lowercase=lowercase, split=split) if level == "word" else None
        )
        self.lowercase = lowercase
        prefix_ids, suffix_ids = list(prefix_ids), list(suffix_ids)
        for name, ids in (("prefix_ids", prefix_ids), ("suffix_ids", suffix_ids)):
            if not all(map(is_integer, ids)):
                raise TypeError(
                    f"`{name}` must hold integer ids in [0, {len(self.tokens)}); "
                    f"received {ids}."
                )
            if not all(0 <= i < len(self.tokens) for i in ids):
                raise ValueError(
                    f"`{name}` must hold integer ids in [0, {len(self.tokens)}); "
                    f"received {ids}."
                )
        self.prefix_ids = [int(i) for i in prefix_ids]
        self.suffix_ids = [int(i) for i in suffix_ids]
        index = {t: i for i, t in enumerate(self.tokens)}
        if level == "char":
            # Raw characters find their stand-in token's id directly.
            for token, i in list(index.items()):
                index.setdefault(_token_to_char(token), i)
        keys = list(index)
        self.table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(keys, tf.string),
                tf.constant([index[k] for k in keys], tf.int64),
            ),
            default_value=_UNK_ID,
        )

    @property
    def resources(self):
        return [self.table]

    def __call__(self, texts):
        import tensorflow as tf

        texts = tf.convert_to_tensor(texts, tf.string)
        if self.level == "word":
            pieces = self.tokenizer(texts)
        else:
            if self.lowercase:
                texts = tf.strings.lower(texts, encoding="utf-8")
            pieces = tf.strings.unicode_split(texts, "UTF-8")
        ids = pieces.with_flat_values(self.table.lookup(pieces.flat_values))
        batch = tf.shape(texts)[0]
        parts = []
        for extra in (self.prefix_ids, None, self.suffix_ids):
            if extra is None:
                parts.append(ids)
            elif extra:
                row = tf.constant([extra], tf.int64)
                parts.append(tf.RaggedTensor.from_tensor(tf.tile(row, [batch, 1])))
        return tf.concat(parts, axis=1) if len(parts) > 1 else ids


class TextDecoder:
    """In-graph ids to text: stops at the first `<EOS>`, drops `<PAD>`.

    Characters are joined without separator (stand-in tokens written back as
    the whitespace they stand for), words with single spaces.

    Args:
        tokens: a `Vocabulary` or the token list in id order.
        level: `"word"` or `"char"`.

    Example:

    >>> decode = TextDecoder(["<PAD>", "<UNK>", "<EOS>", "a", "\u2581"], "char")
    >>> [t.decode() for t in decode([[3, 4, 3, 2, 3], [4, 0, 0, 0, 0]]).numpy()]
    ['a a', ' ']
    """

    def __init__(self, tokens, level="word"):
        self.tokens = _check_tokens(tokens, level)
        self.level = level
        self.pieces = (
            [t if i < 3 else _token_to_char(t) for i, t in enumerate(self.tokens)]
            if level == "char"
            else list(self.tokens)
        )

    def __call__(self, ids):
        import tensorflow as tf

        ids = tf.cast(tf.convert_to_tensor(ids), tf.int32)
        before_eos = tf.equal(tf.cumsum(tf.cast(ids == _EOS_ID, tf.int32), axis=1), 0)
        keep = tf.logical_and(before_eos, ids != _PAD_ID)
        pieces = tf.gather(tf.constant(self.pieces, tf.string), ids)
        kept = tf.ragged.boolean_mask(pieces, keep)
        return tf.strings.reduce_join(
            kept, axis=1, separator="" if self.level == "char" else " "
        )


def _text_encoder(vocabulary, text_encoder, add_eos):
    """In-graph `strings (batch,) -> ragged int64 ids`, and what to track."""
    if text_encoder is not None:
        return text_encoder, list(getattr(text_encoder, "resources", []))
    from keras_seqlayers.text import Vocabulary

    if not isinstance(vocabulary, Vocabulary):
        raise TypeError(
            "`vocabulary` must be a `keras_seqlayers.text.Vocabulary`; received "
            f"{type(vocabulary).__name__}."
        )
    import tensorflow as tf

    def encode(texts):
        ids = vocabulary.lookup(vocabulary.tokenizer(texts))
        if add_eos:
            eos = tf.fill(
                [tf.shape(texts)[0], 1], tf.constant(vocabulary.eos_id, tf.int64)
            )
            ids = tf.concat([ids, tf.RaggedTensor.from_tensor(eos)], axis=1)
        return ids

    return encode, [vocabulary.table]


def _json_value(x):
    if isinstance(x, np.ndarray):
        return [_json_value(v) for v in x]
    if isinstance(x, (bytes, np.bytes_)):
        return x.decode("utf-8")
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    return float(x)


def _synthesize_instances(inputs, batch=2, time=3):
    """A REST row-format example from input specs `{name: (dtype, shape)}`."""
    rng = np.random.default_rng(0)
    columns = {}
    for name, (dtype, shape) in inputs.items():
        dims = [d if d is not None and d >= 0 else time for d in shape[1:]]
        if dtype == "string":
            value = np.full([batch, *dims], "example text", dtype=object)
        elif dtype == "bool":
            value = np.ones([batch, *dims], bool)
        elif "int" in dtype:
            # 0 is a valid id for every embedding table (the <PAD> id).
            value = np.zeros([batch, *dims], "int64")
        else:
            value = np.round(rng.normal(size=[batch, *dims]), 3)
        columns[name] = value
    instances = []
    for i in range(batch):
        row = {
            n: _json_value(np.asarray(v[i])) if v[i].ndim else _json_value(v[i])
            for n, v in columns.items()
        }
        instances.append(row if len(row) > 1 else next(iter(row.values())))
    return {"instances": instances}


def embedding_model(vectors, vocabulary=None, name="embedding_lookup"):
    """A servable lookup model for trained word vectors.

    Maps token ids `(batch, time)` of `vocabulary` to their vectors
    `(batch, time, dim)` (output `vectors`); reserved tokens and words
    without a vector get zeros. Export it with `export(...,
    vocabulary=vocabulary)` and clients send text and receive vectors.

    Args:
        vectors: a `keras_seqlayers.embeddings.WordVectors` (e.g.
            `word2vec.vectors`, or `WordVectors(words, glove.vectors())`).
        vocabulary: the `keras_seqlayers.text.Vocabulary` whose ids the model
            reads; default one with the words of `vectors` in their order.
        name: the model's name.

    Returns:
        `(model, vocabulary)`.

    Example:

    >>> import numpy as np
    >>> from keras_seqlayers.embeddings import WordVectors
    >>> model, vocab = embedding_model(WordVectors(["a", "b"], np.eye(2)))
    >>> np.asarray(model(np.array([vocab.encode(["b a zzz"])[0]]))).tolist()
    [[[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]]
    """
    import keras

    from keras_seqlayers.embeddings import WordVectors
    from keras_seqlayers.text import Vocabulary

    if not isinstance(vectors, WordVectors):
        raise TypeError(
            "`vectors` must be a `keras_seqlayers.embeddings.WordVectors`; "
            f"received {type(vectors).__name__}."
        )
    if vocabulary is None:
        vocabulary = Vocabulary(vectors.words)
    elif not isinstance(vocabulary, Vocabulary):
        raise TypeError(
            "`vocabulary` must be a `keras_seqlayers.text.Vocabulary`; received "
            f"{type(vocabulary).__name__}."
        )
    table = np.zeros((len(vocabulary), vectors.vector_size), "float32")
    for i, word in enumerate(vocabulary.words):
        if i >= vocabulary.num_reserved and word in vectors:
            table[i] = vectors.vectors[vectors.index(word)]
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    lookup = keras.layers.Embedding(
        len(vocabulary),
        vectors.vector_size,
        embeddings_initializer=keras.initializers.Constant(table),
        trainable=False,
        name="vectors",
    )
    return keras.Model(tokens, lookup(tokens), name=name), vocabulary


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
    import keras
    import tensorflow as tf

    from keras_seqlayers.checks import check_bool, check_positive_int

    version = check_positive_int("version", version)
    if vocabulary is not None and text_encoder is not None:
        raise ValueError("Pass `vocabulary` or `text_encoder`, not both.")
    text = vocabulary is not None or text_encoder is not None
    if text_encoder is not None and not callable(text_encoder):
        raise TypeError(f"`text_encoder` must be callable; received {text_encoder!r}.")
    max_length = check_positive_int("max_length", max_length, allow_none=True)
    add_eos = check_bool("add_eos", add_eos)
    overwrite = check_bool("overwrite", overwrite)
    if text_window not in ("first", "last"):
        raise ValueError(
            f'`text_window` must be "first" or "last"; received {text_window!r}.'
        )
    if text_window == "last" and max_length is None:
        raise ValueError('`text_window="last"` needs `max_length`.')
    if endpoint is not None and not callable(endpoint):
        raise TypeError(f"`endpoint` must be callable; received {endpoint!r}.")
    if text_decoder is not None and not callable(text_decoder):
        raise TypeError(f"`text_decoder` must be callable; received {text_decoder!r}.")
    if (max_length is not None or add_eos) and not text:
        raise ValueError(
            "`max_length` and `add_eos` apply to text signatures: pass "
            "`vocabulary` or `text_encoder` too."
        )
    if add_eos and text_encoder is not None:
        raise ValueError(
            "`add_eos` needs `vocabulary` (a `text_encoder` adds its own)."
        )
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
    directory = os.path.join(os.fspath(path), str(version))
    if os.path.exists(directory) and not overwrite:
        raise FileExistsError(
            f"{directory} exists; pass `overwrite=True` or a new `version`."
        )

    specs, default_inputs = _input_specs(model, input_signature)
    if input_names is not None:
        names_in = _given_names("input_names", list(input_names), len(specs), "input")
    else:
        names_in = _default_names(default_inputs, "input")
    if text:
        _check_name("text_input_name", text_input_name)
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

    tf_specs = [
        tf.TensorSpec(shape, dtype, name=name)
        for (shape, dtype), name in zip(specs, names_in, strict=True)
    ]
    example_inputs = [
        tf.zeros([d if d is not None else 2 for d in shape], dtype)
        for shape, dtype in specs
    ]

    def run(inputs):
        if endpoint is not None:
            return endpoint(inputs)
        return model(inputs, training=False)

    probe = run(example_inputs if len(example_inputs) > 1 else example_inputs[0])
    flat = keras.tree.flatten(probe)
    if text_decoder is not None:
        _check_name("text_output_name", text_output_name)
        if len(flat) != 1 or "int" not in keras.backend.standardize_dtype(
            flat[0].dtype
        ):
            raise ValueError(
                "`text_decoder` needs a model (or `endpoint`) with one integer "
                f"output; it has {len(flat)} output(s) of dtypes "
                f"{[keras.backend.standardize_dtype(f.dtype) for f in flat]}."
            )
    if output_names is not None:
        names_out = _given_names(
            "output_names", list(output_names), len(flat), "output"
        )
    elif isinstance(probe, dict):
        names_out = _default_names(sorted(probe), "output")
    else:
        names_out = _default_names(_output_candidates(model, len(flat)), "output")
        if len(flat) == 1 and names_out == ["output"]:
            names_out = ["outputs"]

    if text_decoder is not None:
        if output_names is None:
            names_out = ["token_ids"]
        if text_output_name in names_out:
            raise ValueError(
                f"`text_output_name`={text_output_name!r} is also an output name."
            )

    def serve_ids(*args):
        outputs = run(list(args) if len(args) > 1 else args[0])
        flat = keras.tree.flatten(outputs)
        served = dict(zip(names_out, flat, strict=True))
        if text_decoder is not None:
            served[text_output_name] = text_decoder(flat[0])
        return served

    all_out = [*names_out, text_output_name] if text_decoder is not None else names_out
    archive = keras.export.ExportArchive()
    archive.track(model)
    signatures = {}
    if text:
        encode, resources = _text_encoder(vocabulary, text_encoder, add_eos)
        for resource in resources:
            archive.track(resource)
        id_dtype = specs[0][1]

        def serve_text(texts):
            ids = encode(texts)
            if text_window == "last":
                if isinstance(ids, tf.RaggedTensor):
                    lengths = ids.row_lengths()
                    ids = ids.to_tensor(default_value=0)
                else:
                    lengths = tf.reduce_sum(tf.cast(ids != 0, tf.int64), axis=1)
                # Reverse each row's real part, keep the first max_length
                # ids (the last ones of the row), reverse back: the padding
                # ends up at the start.
                ids = tf.pad(ids, [[0, 0], [0, max_length]])
                ids = tf.reverse_sequence(ids, lengths, seq_axis=1, batch_axis=0)
                ids = tf.reverse(ids[:, :max_length], axis=[1])
            elif isinstance(ids, tf.RaggedTensor):
                ids = ids.to_tensor(default_value=0, shape=[None, max_length])
            elif max_length is not None:
                ids = ids[:, :max_length]
                ids = tf.pad(ids, [[0, 0], [0, max_length - tf.shape(ids)[1]]])
            return serve_ids(tf.cast(ids, id_dtype))

        archive.add_endpoint(
            SIGNATURE,
            serve_text,
            input_signature=[tf.TensorSpec([None], tf.string, name=text_input_name)],
        )
        archive.add_endpoint(IDS_SIGNATURE, serve_ids, input_signature=tf_specs)
        signatures[SIGNATURE] = {"inputs": [text_input_name], "outputs": all_out}
        signatures[IDS_SIGNATURE] = {"inputs": names_in, "outputs": all_out}
    else:
        archive.add_endpoint(SIGNATURE, serve_ids, input_signature=tf_specs)
        signatures[SIGNATURE] = {"inputs": names_in, "outputs": all_out}

    if os.path.exists(directory):
        import shutil

        shutil.rmtree(directory)
    archive.write_out(directory, verbose=False)

    if example is None:
        if text:
            words = vocabulary.words[3:8] if vocabulary is not None else []
            first = " ".join(words) if words else "hello world"
            example = {"instances": [first, first.split(" ")[0]]}
        else:
            example = _synthesize_instances(
                {
                    n: (keras.backend.standardize_dtype(d.name), s)
                    for (s, d), n in zip(specs, names_in, strict=True)
                }
            )
    os.makedirs(os.path.join(directory, "assets.extra"), exist_ok=True)
    with open(os.path.join(directory, EXAMPLE_FILE), "w", encoding="utf-8") as f:
        json.dump(example, f)
    return ExportInfo(directory, signatures, example)


# ----------------------------------------------------------------------
# check
# ----------------------------------------------------------------------


def resolve_version_dir(path):
    """The directory holding `saved_model.pb`: `path` or its latest version.

    TF Serving serves the highest numeric subdirectory of the base path.
    """
    path = os.fspath(path)
    if os.path.isfile(os.path.join(path, "saved_model.pb")):
        return path
    if not os.path.isdir(path):
        raise FileNotFoundError(f"No SavedModel at {path!r}: no such directory.")
    versions = [
        d
        for d in os.listdir(path)
        if d.isdigit() and os.path.isfile(os.path.join(path, d, "saved_model.pb"))
    ]
    if not versions:
        raise FileNotFoundError(
            f"No SavedModel at {path!r}: neither a saved_model.pb nor numbered "
            "version directories holding one."
        )
    return os.path.join(path, max(versions, key=int))


_BOOTSTRAP = (
    "import sys, runpy\n"
    "sys.modules['keras_seqlayers'] = None\n"
    "sys.modules['keras'] = None\n"
    "runpy.run_path(sys.argv[1])['_probe_main'](sys.argv[2:])\n"
)


def _storable(value):
    """An array `np.load` reads without pickle: text becomes UTF-8 bytes."""
    array = np.asarray(value)
    if array.dtype.kind in "OU":
        flat = [v.encode("utf-8") if isinstance(v, str) else v for v in array.flat]
        array = np.array(flat, dtype=bytes).reshape(array.shape)
    return array


def check(path, *, signature=SIGNATURE, request=None, inputs=None, timeout=600):
    """Checks that a SavedModel serves in TF Serving; raises if it does not.

    In a fresh Python process that cannot import `keras_seqlayers` or Keras
    (only TensorFlow and tensorflow-text, what the model server has):

    1. loads the SavedModel with the TF1 Session loader (`serve` tag), as
       TF Serving's `SavedModelBundle` does;
    2. lists every op type of the graph and its function library and flags
       ops outside core TensorFlow (`tf.raw_ops`) and tensorflow-text, plus
       ops a CPU model server cannot run (`CudnnRNN*`, `PyFunc`);
    3. runs `signature` on `inputs` if given;
    4. answers a REST body: `request`, else the `example_request.json`
       stored by `export`, else two instances synthesized from the
       signature; JSON values are converted to the signature's dtypes as
       TF Serving does (integers for integer inputs, `{"b64": ...}` or text
       for strings) and the response is `{"predictions": ...}` (row format)
       or `{"outputs": ...}` (columnar format).

    Args:
        path: a version directory, or a base directory (the highest
            numbered version is checked, as TF Serving would serve it).
        signature: the signature to run.
        request: a REST body (dict or JSON string).
        inputs: optional `{input name: array}` to run through the signature.
        timeout: seconds before the check process is stopped.

    Returns:
        A `CheckReport`; `report.results` holds the outputs for `inputs`
        (bfloat16 outputs as float32 arrays of the same values).

    Raises:
        NotServableError: with the report, if anything failed.
    """
    directory = resolve_version_dir(path)
    if isinstance(request, str):
        request = json.loads(request)
    if request is not None and not (
        isinstance(request, dict) and ("instances" in request or "inputs" in request)
    ):
        raise ValueError(
            'A REST `request` must be a dict with "instances" or "inputs"; '
            f"received {request!r}."
        )
    if inputs is not None and not isinstance(inputs, dict):
        raise TypeError(
            "`inputs` must be a dict of input name to array; received "
            f"{type(inputs).__name__}."
        )
    with tempfile.TemporaryDirectory() as work:
        args = [directory, signature, work]
        if request is not None:
            with open(os.path.join(work, "request.json"), "w", encoding="utf-8") as f:
                json.dump(request, f)
        if inputs is not None:
            np.savez(
                os.path.join(work, "inputs.npz"),
                **{k: _storable(v) for k, v in inputs.items()},
            )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        env["CUDA_VISIBLE_DEVICES"] = "-1"
        try:
            result = subprocess.run(
                [sys.executable, "-c", _BOOTSTRAP, os.path.abspath(__file__), *args],
                capture_output=True,
                text=True,
                env=env,
                cwd=work,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise NotServableError(
                f"The check process did not finish within {timeout} s."
            ) from error
        report_file = os.path.join(work, "report.json")
        if not os.path.exists(report_file):
            raise NotServableError(
                "The check process failed before writing its report:\n"
                + result.stderr[-4000:]
            )
        with open(report_file, encoding="utf-8") as f:
            data = json.load(f)
        results = {}
        results_file = os.path.join(work, "results.npz")
        if os.path.exists(results_file):
            with np.load(results_file, allow_pickle=False) as npz:
                results = {k: npz[k] for k in npz.files}
    report = CheckReport(path=directory, results=results, **data)
    if report.problems:
        raise NotServableError(
            f"{directory} is not servable:\n"
            + "\n".join(f"  - {p}" for p in report.problems),
            report,
        )
    return report


# ----------------------------------------------------------------------
# the probe: runs in the check process, with TensorFlow only
# ----------------------------------------------------------------------


def _tf_text_op_modules():
    """Loads tensorflow-text's kernel libraries; returns their op modules.

    Only the compiled kernels are loaded (what the model server links in),
    not the `tensorflow_text` Python package, which imports Keras.
    """
    import glob
    import importlib.util

    import tensorflow as tf

    spec = importlib.util.find_spec("tensorflow_text")
    if spec is None or not spec.submodule_search_locations:
        return []
    ops_dir = os.path.join(next(iter(spec.submodule_search_locations)), "python", "ops")
    return [
        tf.load_op_library(so)
        for so in sorted(glob.glob(os.path.join(ops_dir, "*.so")))
    ]


def graph_ops(meta_graph):
    """Op types of a MetaGraphDef's graph and of every library function."""
    library = meta_graph.graph_def.library
    functions = {f.signature.name for f in library.function}
    ops = {node.op for node in meta_graph.graph_def.node}
    for function in library.function:
        ops.update(node.op for node in function.node_def)
    # A node whose op is a library function is a call, not an op type.
    return sorted(ops - functions)


def _is_text_op(op, text_modules):
    # An op library's generated module has one wrapper per op, named after
    # the op with `>` (tensorflow-text's `TFText>` namespace) written `_`.
    name = op.replace(">", "_")
    return any(hasattr(module, name) for module in text_modules)


def op_problems(ops, text_modules=None):
    """Problems with a list of op types, for a TF Serving CPU model server."""
    import tensorflow as tf

    if text_modules is None:
        text_modules = _tf_text_op_modules()
    problems = []
    for op in ops:
        if op.startswith(FORBIDDEN_OP_PREFIXES) or op in FORBIDDEN_OPS:
            problems.append(f"op {op} cannot run in a CPU-only TF Serving model server")
        elif not hasattr(tf.raw_ops, op) and not _is_text_op(op, text_modules):
            problems.append(
                f"op {op} is neither a core TensorFlow nor a tensorflow-text op "
                "(TF Serving lacks it)"
            )
    return problems


def _spec(info):
    import tensorflow as tf

    shape = (
        [d.size for d in info.tensor_shape.dim]
        if not info.tensor_shape.unknown_rank
        else None
    )
    return {"dtype": tf.as_dtype(info.dtype).name, "shape": shape}


def _json_to_array(value, dtype, where):
    """Converts a JSON value to an array of `dtype`, as TF Serving does."""

    def convert(v):
        if isinstance(v, list):
            return [convert(x) for x in v]
        if dtype == "string":
            if isinstance(v, dict) and set(v) == {"b64"}:
                return base64.b64decode(v["b64"])
            if isinstance(v, str):
                return v.encode("utf-8")
            raise ValueError(f"{where}: expected a string or {{'b64': ...}}; got {v!r}")
        if dtype == "bool":
            if isinstance(v, bool):
                return v
            raise ValueError(f"{where}: expected true/false; got {v!r}")
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"{where}: expected a number for {dtype}; got {v!r}")
        if "int" in dtype:
            if isinstance(v, float) and not v.is_integer():
                raise ValueError(f"{where}: expected an integer for {dtype}; got {v!r}")
            info = np.iinfo(dtype)
            if not info.min <= v <= info.max:
                raise ValueError(f"{where}: {v} is out of range for {dtype}")
            return int(v)
        return float(v)

    converted = convert(value)
    try:
        array = np.array(converted, dtype=object if dtype == "string" else dtype)
    except ValueError as error:  # lists of different lengths
        raise ValueError(f"{where}: ragged lists cannot make a tensor") from error
    if dtype == "string" and any(isinstance(v, list) for v in array.flat):
        raise ValueError(f"{where}: ragged lists cannot make a tensor")
    return array


def _array_to_json(array, name):
    def convert(v):
        if isinstance(v, np.ndarray):
            return [convert(x) for x in v] if v.ndim else convert(v[()])
        if isinstance(v, bytes):
            if name.endswith("_bytes"):
                return {"b64": base64.b64encode(v).decode("ascii")}
            return v.decode("utf-8", errors="replace")
        if isinstance(v, (np.bool_, bool)):
            return bool(v)
        if isinstance(v, (np.integer, int)):
            return int(v)
        # NaN and infinities stay floats: `json.dumps` then writes the `NaN`
        # and `Infinity` literals TF Serving writes (non-standard JSON).
        return float(v)

    return convert(np.asarray(array))


def rest_inputs(body, signature_inputs):
    """REST body -> `{input name: array}` for a signature's `{name: spec}`."""
    names = sorted(signature_inputs)
    if "instances" in body:
        instances = body["instances"]
        if not isinstance(instances, list) or not instances:
            raise ValueError('"instances" must be a non-empty list')
        rows = []
        for i, instance in enumerate(instances):
            if (
                isinstance(instance, dict)
                and set(instance) <= set(names)
                and (len(names) > 1 or names[0] in instance)
            ):
                row = instance
            elif len(names) == 1:
                row = {names[0]: instance}
            else:
                raise ValueError(
                    f"instance {i}: the signature has inputs {names}; each "
                    "instance must be an object with those keys"
                )
            missing = set(names) - set(row)
            if missing:
                raise ValueError(f"instance {i}: missing inputs {sorted(missing)}")
            rows.append(row)
        arrays = {}
        for name in names:
            dtype = signature_inputs[name]["dtype"]
            values = [
                _json_to_array(r[name], dtype, f"instances[{i}][{name!r}]")
                for i, r in enumerate(rows)
            ]
            shapes = {v.shape for v in values}
            if len(shapes) > 1:
                raise ValueError(
                    f"input {name!r}: instances have different shapes {sorted(shapes)}"
                )
            arrays[name] = np.stack(values)
        return arrays, "row"
    columns = body["inputs"]
    if (
        not isinstance(columns, dict)
        or not set(columns) <= set(names)
        or (len(names) == 1 and names[0] not in columns)
    ):
        if len(names) != 1:
            raise ValueError(f'"inputs" must be an object with keys {names}')
        columns = {names[0]: columns}
    missing = set(names) - set(columns)
    if missing:
        raise ValueError(f'"inputs" is missing {sorted(missing)}')
    return {
        n: _json_to_array(columns[n], signature_inputs[n]["dtype"], f"inputs[{n!r}]")
        for n in names
    }, "columnar"


def rest_response(outputs, form, batch_size):
    """Signature outputs -> the REST response TF Serving would send."""
    names = sorted(outputs)
    if form == "columnar":
        if len(names) == 1:
            return {"outputs": _array_to_json(outputs[names[0]], names[0])}
        return {"outputs": {n: _array_to_json(outputs[n], n) for n in names}}
    for name in names:
        shape = np.shape(outputs[name])
        if not shape or shape[0] != batch_size:
            raise ValueError(
                f"output {name!r} has shape {shape}: in the row format every "
                f"output needs the batch size {batch_size} as first dimension"
            )
    if len(names) == 1:
        return {"predictions": [_array_to_json(v, names[0]) for v in outputs[names[0]]]}
    return {
        "predictions": [
            {n: _array_to_json(outputs[n][i], n) for n in names}
            for i in range(batch_size)
        ]
    }


def _probe_main(argv):
    """Entry point of the check process (see `check`)."""
    directory, signature_name, work = argv
    import tensorflow as tf

    # Registers the tensorflow-text ops, which TF Serving has built in.
    text_modules = _tf_text_op_modules()

    report = {
        "signature": signature_name,
        "signatures": [],
        "inputs": {},
        "outputs": {},
        "ops": [],
        "problems": [],
        "request": {},
        "response": {},
    }

    def finish():
        with open(os.path.join(work, "report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f)

    problems = report["problems"]
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
        try:
            meta_graph = tf.compat.v1.saved_model.load(session, ["serve"], directory)
        except Exception as error:
            problems.append(
                f"the SavedModel does not load: {type(error).__name__}: {error}"
            )
            return finish()
        report["ops"] = graph_ops(meta_graph)
        problems.extend(op_problems(report["ops"], text_modules))
        report["signatures"] = sorted(meta_graph.signature_def)
        if signature_name not in meta_graph.signature_def:
            problems.append(
                f"no signature {signature_name!r}; the SavedModel has "
                f"{report['signatures']}"
            )
            return finish()
        sig = meta_graph.signature_def[signature_name]
        report["inputs"] = {k: _spec(v) for k, v in sorted(sig.inputs.items())}
        report["outputs"] = {k: _spec(v) for k, v in sorted(sig.outputs.items())}
        fetches = {k: v.name for k, v in sig.outputs.items()}

        def run(arrays):
            feed = {sig.inputs[k].name: v for k, v in arrays.items()}
            return session.run(fetches, feed)

        inputs_file = os.path.join(work, "inputs.npz")
        if os.path.exists(inputs_file):
            with np.load(inputs_file, allow_pickle=False) as data:
                given = {k: data[k] for k in data.files}
            unknown = set(given) ^ set(sig.inputs)
            if unknown:
                problems.append(
                    f"inputs {sorted(given)} do not match the signature's "
                    f"{sorted(sig.inputs)}"
                )
            else:
                try:
                    results = run(given)
                    # NumPy reads bfloat16 (an ml_dtypes type) back as raw
                    # bytes: such outputs are stored as float32, same values.
                    results = {
                        k: v.astype(np.float32) if v.dtype.kind == "V" else v
                        for k, v in results.items()
                    }
                    np.savez(os.path.join(work, "results.npz"), **results)
                except Exception as error:
                    problems.append(f"running the signature failed: {error}")

        request_file = os.path.join(work, "request.json")
        stored = os.path.join(directory, EXAMPLE_FILE)
        if os.path.exists(request_file):
            source = request_file
        elif signature_name == SIGNATURE and os.path.exists(stored):
            source = stored
        else:
            source = None
        if source is not None:
            with open(source, encoding="utf-8") as f:
                body = json.load(f)
        else:
            body = _synthesize_instances(
                {k: (v["dtype"], v["shape"]) for k, v in report["inputs"].items()}
            )
        report["request"] = body
        try:
            arrays, form = rest_inputs(body, report["inputs"])
        except ValueError as error:
            problems.append(f"the REST request is invalid: {error}")
            return finish()
        try:
            outputs = run(arrays)
        except Exception as error:
            problems.append(f"the REST request failed in the signature: {error}")
            return finish()
        batch = len(body["instances"]) if form == "row" else None
        try:
            report["response"] = rest_response(outputs, form, batch)
        except ValueError as error:
            problems.append(f"no REST response: {error}")
    return finish()


def main(argv=None):
    """`python -m keras_seqlayers.serving check PATH [--request JSON]`."""
    parser = argparse.ArgumentParser(
        prog="python -m keras_seqlayers.serving",
        description="Checks that a SavedModel is servable by TF Serving.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="check a SavedModel")
    check_parser.add_argument("path", help="a version or base directory")
    check_parser.add_argument("--signature", default=SIGNATURE)
    check_parser.add_argument(
        "--request", help="a REST body as JSON text, or @FILE to read one"
    )
    check_parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    request = args.request
    if request is not None and request.startswith("@"):
        with open(request[1:], encoding="utf-8") as f:
            request = f.read()
    try:
        report = check(args.path, signature=args.signature, request=request)
    except NotServableError as error:
        if error.report is not None:
            print(error.report.summary())
        else:
            print(str(error))
        return 1
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        data = dataclasses.asdict(report)
        data.pop("results")
        print(json.dumps(data, indent=2))
    else:
        print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())

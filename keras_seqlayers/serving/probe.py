"""What runs in the check process: TF Serving's view of a SavedModel.

`check` runs this file by its path in a separate Python process where
`keras_seqlayers` and `keras` cannot be imported, as in the TF Serving model
server, which has neither. The process serves one check per line of its
standard input, so that the checks of one Python session pay for starting
TensorFlow once. So this module imports only the standard library,
NumPy and TensorFlow (plus tensorflow-text's compiled kernels, which the
model server links in), and everything the other serving modules share with
the check process lives here: the default signature name, the path of the
stored example request, the op rules and the REST emulation.

The probe loads the SavedModel with the TF1 `Session` loader (what the
model server's `SavedModelBundle` does), lists the op types of the graph and
of its function library, flags ops a CPU model server cannot run, runs the
signature on given inputs, and answers a REST body (`{"instances": [...]}`
or `{"inputs": ...}`) with JSON converted to the signature's dtypes and the
response built as TF Serving's REST API does. It writes `report.json` (and
`results.npz` for given inputs) into the work directory, prints one line
per step on its standard output, and `DONE` when the check is over.
"""

import base64
import functools
import glob
import importlib.util
import json
import os

import numpy as np
import tensorflow as tf

SIGNATURE = "serving_default"
EXAMPLE_FILE = os.path.join("assets.extra", "example_request.json")
# Ops that core TensorFlow registers but that a CPU-only TF Serving model
# server cannot run: cuDNN kernels exist only on GPUs (keras#18504), and
# Python functions need the Python interpreter the server does not have.
FORBIDDEN_OPS = ("EagerPyFunc", "PyFunc", "PyFuncStateless")
FORBIDDEN_OP_PREFIXES = ("Cudnn",)
# The files the check process reads from and writes to its work directory.
REQUEST_FILE = "request.json"
INPUTS_FILE = "inputs.npz"
REPORT_FILE = "report.json"
RESULTS_FILE = "results.npz"
# The line that ends a check's output (no progress line looks like it).
DONE = "== check done =="


@functools.cache
def tf_text_op_modules():
    """Loads tensorflow-text's kernel libraries; returns their op modules.

    Only the compiled kernels are loaded (what the model server links in),
    not the `tensorflow_text` Python package, which imports Keras.
    """
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
    if text_modules is None:
        text_modules = tf_text_op_modules()
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


# ----- JSON <-> arrays, as TF Serving's REST API converts them -------------


def to_json(value, name=""):
    """An array (or scalar) as the JSON value TF Serving's REST API writes.

    Bytes become text, or `{"b64": ...}` for an output whose name ends in
    `_bytes`; NaN and infinities stay floats, so `json.dumps` writes the
    `NaN` and `Infinity` literals TF Serving writes (non-standard JSON).
    """
    if isinstance(value, np.ndarray):
        if value.ndim:
            return [to_json(v, name) for v in value]
        return to_json(value[()], name)
    if isinstance(value, bytes):
        if name.endswith("_bytes"):
            return {"b64": base64.b64encode(value).decode("ascii")}
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    return float(value)


def synthesize_instances(inputs, batch=2, time=3):
    """A REST row-format example from input specs `{name: (dtype, shape)}`.

    Unknown dimensions get `time` entries; a rank-1 input makes scalar
    instances.
    """
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
        row = {n: to_json(np.asarray(v[i])) for n, v in columns.items()}
        instances.append(row if len(row) > 1 else next(iter(row.values())))
    return {"instances": instances}


def _json_scalar(v, dtype, where):
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


def _json_to_array(value, dtype, where):
    """Converts a JSON value to an array of `dtype`, as TF Serving does."""

    def convert(v):
        if isinstance(v, list):
            return [convert(x) for x in v]
        return _json_scalar(v, dtype, where)

    converted = convert(value)
    try:
        array = np.array(converted, dtype=object if dtype == "string" else dtype)
    except ValueError as error:  # lists of different lengths
        raise ValueError(f"{where}: ragged lists cannot make a tensor") from error
    if dtype == "string" and any(isinstance(v, list) for v in array.flat):
        raise ValueError(f"{where}: ragged lists cannot make a tensor")
    return array


def _instance_rows(instances, names):
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
    return rows


def rest_inputs(body, signature_inputs):
    """REST body -> `{input name: array}` for a signature's `{name: spec}`."""
    names = sorted(signature_inputs)
    if "instances" in body:
        rows = _instance_rows(body["instances"], names)
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
            return {"outputs": to_json(np.asarray(outputs[names[0]]), names[0])}
        return {"outputs": {n: to_json(np.asarray(outputs[n]), n) for n in names}}
    for name in names:
        shape = np.shape(outputs[name])
        if not shape or shape[0] != batch_size:
            raise ValueError(
                f"output {name!r} has shape {shape}: in the row format every "
                f"output needs the batch size {batch_size} as first dimension"
            )
    if len(names) == 1:
        name = names[0]
        return {"predictions": [to_json(np.asarray(v), name) for v in outputs[name]]}
    return {
        "predictions": [
            {n: to_json(np.asarray(outputs[n][i]), n) for n in names}
            for i in range(batch_size)
        ]
    }


# ----- the check process ----------------------------------------------------


def _say(message):
    # The parent forwards these lines to its standard error when verbose.
    print(message, flush=True)


def _spec(info):
    shape = (
        [d.size for d in info.tensor_shape.dim]
        if not info.tensor_shape.unknown_rank
        else None
    )
    return {"dtype": tf.as_dtype(info.dtype).name, "shape": shape}


def _load(session, directory, report):
    """Loads the SavedModel; lists and judges its ops. The MetaGraphDef or
    None when it does not load."""
    # Registers the tensorflow-text ops, which TF Serving has built in.
    text_modules = tf_text_op_modules()
    _say(f"loading {directory} with the TF1 Session loader (tag 'serve')")
    try:
        meta_graph = tf.compat.v1.saved_model.load(session, ["serve"], directory)
    except Exception as error:
        report["problems"].append(
            f"the SavedModel does not load: {type(error).__name__}: {error}"
        )
        return None
    _say("listing ops of the graph and its function library")
    report["ops"] = graph_ops(meta_graph)
    report["problems"].extend(op_problems(report["ops"], text_modules))
    report["signatures"] = sorted(meta_graph.signature_def)
    return meta_graph


def _runner(session, signature):
    fetches = {k: v.name for k, v in signature.outputs.items()}

    def run(arrays):
        feed = {signature.inputs[k].name: v for k, v in arrays.items()}
        return session.run(fetches, feed)

    return run


def _run_given_inputs(run, signature, work, problems):
    """Runs the signature on `inputs.npz` and stores the results."""
    with np.load(os.path.join(work, INPUTS_FILE), allow_pickle=False) as data:
        given = {k: data[k] for k in data.files}
    if set(given) != set(signature.inputs):
        problems.append(
            f"inputs {sorted(given)} do not match the signature's "
            f"{sorted(signature.inputs)}"
        )
        return
    _say("running the signature on the given inputs")
    try:
        results = run(given)
    except Exception as error:
        problems.append(f"running the signature failed: {error}")
        return
    # NumPy reads bfloat16 (an ml_dtypes type) back as raw bytes: such
    # outputs are stored as float32, same values.
    results = {
        k: v.astype(np.float32) if v.dtype.kind == "V" else v
        for k, v in results.items()
    }
    np.savez(os.path.join(work, RESULTS_FILE), **results)


def _request_body(directory, signature_name, work, inputs):
    """The REST body to answer: given, else stored by `export`, else made
    from the signature's inputs."""
    sources = [os.path.join(work, REQUEST_FILE)]
    if signature_name == SIGNATURE:
        sources.append(os.path.join(directory, EXAMPLE_FILE))
    for source in sources:
        if os.path.exists(source):
            with open(source, encoding="utf-8") as f:
                return json.load(f)
    return synthesize_instances(
        {k: (v["dtype"], v["shape"]) for k, v in inputs.items()}
    )


def _answer_rest(run, body, report):
    """Answers a REST body as TF Serving would; fills the report."""
    _say("answering the REST request")
    report["request"] = body
    problems = report["problems"]
    try:
        arrays, form = rest_inputs(body, report["inputs"])
    except ValueError as error:
        problems.append(f"the REST request is invalid: {error}")
        return
    try:
        outputs = run(arrays)
    except Exception as error:
        problems.append(f"the REST request failed in the signature: {error}")
        return
    batch = len(body["instances"]) if form == "row" else None
    try:
        report["response"] = rest_response(outputs, form, batch)
    except ValueError as error:
        problems.append(f"no REST response: {error}")


def _probe(directory, signature_name, work):
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
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
        meta_graph = _load(session, directory, report)
        if meta_graph is None:
            return report
        if signature_name not in meta_graph.signature_def:
            report["problems"].append(
                f"no signature {signature_name!r}; the SavedModel has "
                f"{report['signatures']}"
            )
            return report
        signature = meta_graph.signature_def[signature_name]
        report["inputs"] = {k: _spec(v) for k, v in sorted(signature.inputs.items())}
        report["outputs"] = {k: _spec(v) for k, v in sorted(signature.outputs.items())}
        run = _runner(session, signature)
        if os.path.exists(os.path.join(work, INPUTS_FILE)):
            _run_given_inputs(run, signature, work, report["problems"])
        body = _request_body(directory, signature_name, work, report["inputs"])
        _answer_rest(run, body, report)
    return report


def serve(jobs, out):
    """Entry point of the check process: one check per line of `jobs`, a
    JSON list `[directory, signature, work directory]`; `DONE` on `out`
    after each."""
    for line in jobs:
        directory, signature_name, work = json.loads(line)
        report = _probe(directory, signature_name, work)
        with open(os.path.join(work, REPORT_FILE), "w", encoding="utf-8") as f:
            json.dump(report, f)
        print(DONE, file=out, flush=True)

"""`check`: proves a SavedModel serves the way TF Serving would serve it.

This side of the check resolves the version directory, hands the request and
inputs to a separate Python process that runs `probe.py` by its path with
`keras_seqlayers` and `keras` blocked (TF Serving has neither), and turns
the probe's report into a `CheckReport`, or a `NotServableError`.

Starting that process (importing TensorFlow) is most of a check's time, so
one process serves every check of a Python session, one at a time; a check
that times out ends it, and the next check starts a new one.
"""

import atexit
import dataclasses
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

from keras_seqlayers.checks import check_bool
from keras_seqlayers.serving import probe
from keras_seqlayers.serving.probe import SIGNATURE

# Runs the probe the way the model server sees the SavedModel: without this
# package and without Keras, whatever the environment has installed.
_BOOTSTRAP = (
    "import sys, runpy\n"
    "sys.modules['keras_seqlayers'] = None\n"
    "sys.modules['keras'] = None\n"
    "runpy.run_path(sys.argv[1])['serve'](sys.stdin, sys.stdout)\n"
)


class NotServableError(Exception):
    """A SavedModel failed `check`; `report` holds what was found."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


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


def _storable(value):
    """An array `np.load` reads without pickle: text becomes UTF-8 bytes."""
    array = np.asarray(value)
    if array.dtype.kind in "OU":
        flat = [v.encode("utf-8") if isinstance(v, str) else v for v in array.flat]
        array = np.array(flat, dtype=bytes).reshape(array.shape)
    return array


class _ProbeProcess:
    """The check process: runs `probe.serve` and takes one check at a time."""

    def __init__(self):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        env["CUDA_VISIBLE_DEVICES"] = "-1"
        # Open as long as the process runs: it is closed in `close`.
        self._errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, "-c", _BOOTSTRAP, probe.__file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        # Output lines are read as they come, so that progress shows while
        # a check runs, a full pipe never blocks the probe, and a check can
        # time out; `None` marks the end of the process's output.
        self._lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    @property
    def running(self):
        return self._process.poll() is None

    def run(self, directory, signature, work, timeout, verbose):
        """One check; returns what the process wrote to its standard error
        meanwhile."""
        start = os.fstat(self._errors.fileno()).st_size
        try:
            self._process.stdin.write(json.dumps([directory, signature, work]) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # The process died; its standard error says why.
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty as error:
                self.close()
                raise NotServableError(
                    f"The check process did not finish within {timeout} s."
                ) from error
            if line is None or line.rstrip("\n") == probe.DONE:
                break
            if verbose:
                print(line, end="", file=sys.stderr, flush=True)
        self._errors.seek(start)
        return self._errors.read()

    def close(self):
        self._process.kill()
        self._process.wait()
        self._process.stdin.close()
        self._process.stdout.close()
        self._errors.close()


_probe_process = None
_probe_lock = threading.Lock()


def _run_probe(directory, signature, work, timeout, verbose):
    """Runs one check in the session's check process, started if need be."""
    global _probe_process
    with _probe_lock:
        if _probe_process is None or not _probe_process.running:
            if _probe_process is not None:
                _probe_process.close()
            if verbose:
                print("starting the check process (TensorFlow only)", file=sys.stderr)
            _probe_process = _ProbeProcess()
        return _probe_process.run(directory, signature, work, timeout, verbose)


@atexit.register
def _close_probe():
    if _probe_process is not None:
        _probe_process.close()


def _read_report(directory, work, stderr):
    report_file = os.path.join(work, probe.REPORT_FILE)
    if not os.path.exists(report_file):
        raise NotServableError(
            "The check process failed before writing its report:\n" + stderr[-4000:]
        )
    with open(report_file, encoding="utf-8") as f:
        data = json.load(f)
    results = {}
    results_file = os.path.join(work, probe.RESULTS_FILE)
    if os.path.exists(results_file):
        with np.load(results_file, allow_pickle=False) as npz:
            results = {k: npz[k] for k in npz.files}
    return CheckReport(path=directory, results=results, **data)


def check(
    path, *, signature=SIGNATURE, request=None, inputs=None, timeout=600, verbose=False
):
    """Checks that a SavedModel serves in TF Serving; raises if it does not.

    In a separate Python process that cannot import `keras_seqlayers` or
    Keras (only TensorFlow and tensorflow-text, what the model server has;
    started by the first check and reused by the next ones):

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

    Any SavedModel can be checked, not only those `export` wrote.

    Args:
        path: a version directory, or a base directory (the highest
            numbered version is checked, as TF Serving would serve it);
            relative to the current working directory.
        signature: the signature to run.
        request: a REST body (dict or JSON string).
        inputs: optional `{input name: array}` to run through the signature.
        timeout: seconds before the check process is stopped.
        verbose: print each step to standard error as it starts (the first
            check takes 10-25 s, most of it spent starting TensorFlow).

    Returns:
        A `CheckReport`; `report.results` holds the outputs for `inputs`
        (bfloat16 outputs as float32 arrays of the same values).

    Raises:
        NotServableError: with the report, if anything failed.
    """
    verbose = check_bool("verbose", verbose)
    directory = os.path.abspath(resolve_version_dir(path))
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
        if request is not None:
            with open(
                os.path.join(work, probe.REQUEST_FILE), "w", encoding="utf-8"
            ) as f:
                json.dump(request, f)
        if inputs is not None:
            np.savez(
                os.path.join(work, probe.INPUTS_FILE),
                **{k: _storable(v) for k, v in inputs.items()},
            )
        stderr = _run_probe(directory, signature, work, timeout, verbose)
        report = _read_report(directory, work, stderr)
    if report.problems:
        raise NotServableError(
            f"{directory} is not servable:\n"
            + "\n".join(f"  - {p}" for p in report.problems),
            report,
        )
    return report

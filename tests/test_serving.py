"""ksl.serving end to end: export in TF Serving's layout, then check
servability like TF Serving.

`check` runs in a separate process that cannot import keras_seqlayers or
Keras (5-10 s to start, then reused); the expected values come from the
eager Keras model.
Tests that can share one exported SavedModel, or one check run, do so
through module-scoped fixtures.
"""

import json
import os
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_seqlayers as ksl
from keras_seqlayers import serving

CORPUS = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]
# The lines `check` prints for each of its steps when verbose.
PROGRESS = ("loading ", "listing ops", "answering the REST request")


@pytest.fixture(scope="module")
def vocab():
    return ksl.text.Vocabulary.build(CORPUS)


def _padded(ids_lists, length=None):
    length = length or max(len(r) for r in ids_lists)
    out = np.zeros((len(ids_lists), length), "int32")
    for i, row in enumerate(ids_lists):
        row = row[:length]
        out[i, : len(row)] = row
    return out


# ----- a text classifier: raw strings in --------------------------------


@pytest.fixture(scope="module")
def classifier(tmp_path_factory, vocab):
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(len(vocab), 5, mask_zero=True)(tokens)
    x = ksl.layers.GRU(4)(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    probabilities = keras.layers.Softmax(name="probabilities")(logits)
    model = keras.Model(tokens, [logits, probabilities])
    base = tmp_path_factory.mktemp("classifier") / "clf"
    info = serving.export(model, base, vocabulary=vocab)
    return model, info, base


def test_text_classifier_serves_raw_strings(classifier, vocab):
    model, info, base = classifier
    assert info.path == str(base / "1")
    assert info.signatures == {
        "serving_default": {"inputs": ["text"], "outputs": ["logits", "probabilities"]},
        "serve_ids": {"inputs": ["tokens"], "outputs": ["logits", "probabilities"]},
    }
    texts = ["The cat sat", "a zebra and the dog on the mat", "dog"]
    report = serving.check(
        base,  # the base path: the latest version is served
        request={"instances": texts},
        inputs={"text": np.array(texts, dtype=object)},
    )
    assert report.inputs == {"text": {"dtype": "string", "shape": [-1]}}
    assert report.outputs["logits"] == {"dtype": "float32", "shape": [-1, 3]}
    assert "TFText>WhitespaceTokenizeWithOffsetsV2" in report.ops
    assert "LookupTableFindV2" in report.ops
    assert not any(op.startswith("Cudnn") for op in report.ops)
    logits, probabilities = (
        keras.ops.convert_to_numpy(o) for o in model(_padded(vocab.encode(texts)))
    )
    np.testing.assert_allclose(report.results["logits"], logits, atol=1e-5)
    rows = report.response["predictions"]
    assert len(rows) == 3
    np.testing.assert_allclose([r["logits"] for r in rows], logits, atol=1e-5)
    np.testing.assert_allclose(
        [r["probabilities"] for r in rows], probabilities, atol=1e-5
    )


def test_saved_model_cli_runs_an_exported_model(tmp_path):
    cli = shutil.which("saved_model_cli") or os.path.join(
        os.path.dirname(sys.executable), "saved_model_cli"
    )
    assert os.path.exists(cli), "saved_model_cli ships with tensorflow"
    x = keras.Input((3,), dtype="int32", name="tokens")
    h = ksl.layers.SimpleRNN(2)(keras.layers.Embedding(5, 4)(x))
    model = keras.Model(x, keras.layers.Dense(1, name="score")(h))
    info = serving.export(model, tmp_path)
    out = tmp_path / "cli_out"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [
            cli,
            "run",
            "--dir",
            info.path,
            "--tag_set",
            "serve",
            "--signature_def",
            "serving_default",
            "--input_exprs",
            "tokens=[[1,2,3],[4,0,0]]",
            "--outdir",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    served = np.load(out / "score.npy")
    expected = keras.ops.convert_to_numpy(model(np.array([[1, 2, 3], [4, 0, 0]])))
    np.testing.assert_allclose(served, expected, atol=1e-5)


def test_text_signature_max_length_and_eos(tmp_path, vocab):
    tokens = keras.Input((4,), dtype="int64", name="ids")
    x = keras.layers.Embedding(len(vocab), 3)(tokens)
    model = keras.Model(tokens, keras.layers.Flatten(name="features")(x))
    serving.export(
        model, tmp_path / "m", version=7, vocabulary=vocab, max_length=4, add_eos=True
    )
    texts = ["the cat sat on the mat", "dog"]
    report = serving.check(
        tmp_path / "m",
        request={"inputs": {"text": texts}},  # columnar form
    )
    ids = _padded(vocab.encode(texts, add_eos=True), 4)
    assert ids[1].tolist() == [vocab.token_to_id("dog"), vocab.eos_id, 0, 0]
    expected = keras.ops.convert_to_numpy(model(ids))
    np.testing.assert_allclose(report.response["outputs"], expected, atol=1e-6)


# ----- a numeric model with two inputs and three outputs -----------------


@pytest.fixture(scope="module")
def numeric(tmp_path_factory):
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), dtype="int32", name="b")
    total = keras.layers.Dense(2, name="total")(a)
    count = keras.layers.Lambda(lambda t: t * 2, name="count")(b)
    half = keras.layers.Dense(2, dtype="mixed_bfloat16", name="half")(a)
    model = keras.Model([a, b], [total, count, half])
    base = tmp_path_factory.mktemp("numeric")
    info = serving.export(model, base)
    return model, info, base


ROWS = [{"a": [1, 2.5, -1], "b": [1, 2]}, {"a": [0, 0, 1], "b": [3, 4]}]
X_A = np.array([r["a"] for r in ROWS], "float32")
X_B = np.array([r["b"] for r in ROWS], "int32")


@pytest.fixture(scope="module")
def numeric_report(numeric):
    """One check of the numeric model: a row-format request and inputs."""
    _, _, base = numeric
    return serving.check(base, request={"instances": ROWS}, inputs={"a": X_A, "b": X_B})


def test_numeric_model_answers_the_rest_row_form(numeric, numeric_report):
    model, info, _ = numeric
    assert info.input_names == ["a", "b"]
    assert info.output_names == ["total", "count", "half"]
    total, count, _ = (keras.ops.convert_to_numpy(o) for o in model([X_A, X_B]))
    predictions = numeric_report.response["predictions"]
    np.testing.assert_allclose([p["total"] for p in predictions], total, atol=1e-5)
    assert [p["count"] for p in predictions] == count.tolist()


def test_check_returns_bfloat16_outputs_as_float32(numeric, numeric_report):
    model, _, _ = numeric
    assert numeric_report.outputs["half"]["dtype"] == "bfloat16"
    result = numeric_report.results["half"]
    assert result.dtype == np.float32
    half = model([X_A, X_B])[2]
    expected = keras.ops.convert_to_numpy(keras.ops.cast(half, "float32"))
    np.testing.assert_array_equal(result, expected)


def test_check_takes_a_relative_path_and_says_what_it_does(numeric, monkeypatch, capfd):
    _, _, base = numeric
    monkeypatch.chdir(base.parent)
    report = serving.check(
        base.name,
        request={"inputs": {"a": X_A.tolist(), "b": [[1, 1], [2, 2]]}},
        verbose=True,
    )
    # The columnar form answers with "outputs".
    assert report.response["outputs"]["count"] == [[2, 2], [4, 4]]
    err = capfd.readouterr().err
    assert all(step in err for step in PROGRESS), err


def test_check_reports_a_missing_signature_and_a_bad_request(numeric, capfd):
    _, _, base = numeric
    with pytest.raises(serving.NotServableError, match="no signature 'nope'"):
        serving.check(base, signature="nope")
    with pytest.raises(serving.NotServableError, match="expected a number"):
        serving.check(base, request={"instances": [{"a": ["x", 1, 2], "b": [1, 2]}]})
    # The Python function is quiet unless asked.
    assert not any(step in capfd.readouterr().err for step in PROGRESS)


def test_checks_share_one_check_process_and_outlive_its_end(numeric, capfd):
    from keras_seqlayers.serving import checking

    _, _, base = numeric
    serving.check(base)
    first = checking._probe_process
    serving.check(base, verbose=True)
    assert checking._probe_process is first
    assert "starting the check process" not in capfd.readouterr().err
    # A process that died (or was killed) is replaced by the next check.
    first._process.kill()
    first._process.wait()
    assert serving.check(base).problems == []
    assert checking._probe_process is not first


def test_a_check_that_times_out_ends_its_process(numeric):
    from keras_seqlayers.serving import checking

    _, _, base = numeric
    with pytest.raises(serving.NotServableError, match="did not finish within"):
        serving.check(base, timeout=0.01)
    assert not checking._probe_process.running
    assert serving.check(base).problems == []


# ----- command line ------------------------------------------------------


def test_command_line_checks_the_stored_example_from_a_relative_path(numeric):
    _, info, base = numeric
    stored = json.loads((base / "1/assets.extra/example_request.json").read_text())
    assert stored == info.example_request
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    # The run starts elsewhere: it must still import this keras_seqlayers.
    package_root = os.path.dirname(os.path.dirname(ksl.__file__))
    env["PYTHONPATH"] = os.pathsep.join([package_root, env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-m", "keras_seqlayers.serving", "check", base.name, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=base.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["inputs"]["a"] == {"dtype": "float32", "shape": [-1, 3]}
    # With no request, the example stored by `export` is answered.
    assert report["request"] == stored
    assert len(report["response"]["predictions"]) == len(stored["instances"])
    # The command line says what it is doing, and runpy has nothing to say.
    assert all(step in result.stderr for step in PROGRESS), result.stderr
    assert "RuntimeWarning" not in result.stderr


def test_command_line_exit_status_without_a_saved_model(tmp_path, capsys):
    assert serving.main(["check", str(tmp_path / "9")]) == 2
    assert "No SavedModel" in capsys.readouterr().err


def test_command_line_help(capsys):
    with pytest.raises(SystemExit) as caught:
        serving.main(["--help"])
    assert caught.value.code == 0
    assert "check" in capsys.readouterr().out


# ----- any SavedModel, and where TF Serving would fail ------------------


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """A SavedModel this package did not make: rank-1 strings in."""

    class Lengths(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="s")])
        def serve(self, s):
            return {"length": tf.strings.length(s)}

    module = Lengths()
    base = tmp_path_factory.mktemp("foreign")
    tf.saved_model.save(
        module, str(base / "1"), signatures={"serving_default": module.serve}
    )
    return base


def test_check_judges_a_foreign_saved_model_with_string_inputs(foreign):
    report = serving.check(foreign)
    assert report.inputs == {"s": {"dtype": "string", "shape": [-1]}}
    instances = report.request["instances"]
    assert all(isinstance(text, str) for text in instances)
    assert report.response["predictions"] == [len(t.encode()) for t in instances]


class _Module(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.ones((2, 2), "float32"))


def _save(module, fn, directory):
    signature = fn.get_concrete_function(tf.TensorSpec([None, 2], tf.float32, name="x"))
    tf.saved_model.save(
        module, str(directory), signatures={"serving_default": signature}
    )


def test_check_fails_on_cudnn_ops_baked_into_an_untaken_branch(tmp_path):
    # What keras#18504 produces when exporting on a GPU: a cuDNN branch that a
    # CPU model server cannot run, even when the CPU branch is taken.
    module = _Module()

    @tf.function(autograph=False)
    def serve(x):
        def cudnn():
            seq = tf.transpose(x[None], [0, 1, 2])
            out = tf.raw_ops.CudnnRNNV3(
                input=seq,
                input_h=tf.zeros([1, tf.shape(x)[0], 2]),
                input_c=tf.zeros([1, tf.shape(x)[0], 2]),
                params=tf.zeros([100]),
                sequence_lengths=tf.ones([tf.shape(x)[0]], tf.int32),
                rnn_mode="gru",
            )
            return out[0][0]

        y = tf.cond(tf.reduce_sum(x) > 1e30, cudnn, lambda: tf.matmul(x, module.w))
        return {"y": y}

    _save(module, serve, tmp_path / "1")
    with pytest.raises(serving.NotServableError, match="CudnnRNNV3") as caught:
        serving.check(tmp_path)
    # Graph-mode execution (what the model server does) lowers the cond and
    # needs a kernel for every op of both branches: the request fails too.
    problems = caught.value.report.problems
    assert (
        problems[0] == "op CudnnRNNV3 cannot run in a CPU-only TF Serving model server"
    )
    assert "No OpKernel was registered to support Op 'CudnnRNNV3'" in problems[1]


def test_check_fails_on_python_functions(tmp_path):
    module = _Module()

    @tf.function(autograph=False)
    def serve(x):
        return {"y": tf.py_function(lambda t: t + 1, [x], tf.float32)}

    _save(module, serve, tmp_path / "1")
    with pytest.raises(serving.NotServableError, match="EagerPyFunc"):
        serving.check(tmp_path)

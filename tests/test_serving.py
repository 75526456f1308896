"""ksl.serving: export in TF Serving's layout, check servability like TF Serving.

Every `check` runs a separate process that cannot import keras_seqlayers or
Keras; the expected values come from the eager Keras model.
"""

import base64
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


@pytest.fixture(scope="module")
def vocab():
    return ksl.text.Vocabulary.build(CORPUS)


def _classifier(vocab_size, units=4, classes=3):
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(vocab_size, 5, mask_zero=True)(tokens)
    x = ksl.layers.GRU(units)(x)
    logits = keras.layers.Dense(classes, name="logits")(x)
    probabilities = keras.layers.Softmax(name="probabilities")(logits)
    return keras.Model(tokens, [logits, probabilities])


def _padded(ids_lists, length=None):
    length = length or max(len(r) for r in ids_lists)
    out = np.zeros((len(ids_lists), length), "int32")
    for i, row in enumerate(ids_lists):
        row = row[:length]
        out[i, : len(row)] = row
    return out


def test_text_classifier_serves_raw_strings(tmp_path, vocab):
    model = _classifier(len(vocab))
    info = serving.export(model, tmp_path / "clf", vocabulary=vocab)
    assert info.path == str(tmp_path / "clf" / "1")
    assert info.signatures == {
        "serving_default": {"inputs": ["text"], "outputs": ["logits", "probabilities"]},
        "serve_ids": {"inputs": ["tokens"], "outputs": ["logits", "probabilities"]},
    }
    texts = ["The cat sat", "a zebra and the dog on the mat", "dog"]
    report = serving.check(
        tmp_path / "clf",  # the base path: the latest version is served
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


def test_numeric_model_rest_row_and_columnar_forms(tmp_path):
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), dtype="int32", name="b")
    total = keras.layers.Dense(2, name="total")(a)
    count = keras.layers.Lambda(lambda t: t * 2, name="count")(b)
    model = keras.Model([a, b], [total, count])
    info = serving.export(model, tmp_path)
    assert info.input_names == ["a", "b"]
    assert info.output_names == ["total", "count"]
    rows = [{"a": [1, 2.5, -1], "b": [1, 2]}, {"a": [0, 0, 1], "b": [3, 4]}]
    report = serving.check(tmp_path, request={"instances": rows})
    x_a = np.array([r["a"] for r in rows], "float32")
    x_b = np.array([r["b"] for r in rows], "int32")
    total, count = (keras.ops.convert_to_numpy(o) for o in model([x_a, x_b]))
    np.testing.assert_allclose(
        [p["total"] for p in report.response["predictions"]], total, atol=1e-5
    )
    assert [p["count"] for p in report.response["predictions"]] == count.tolist()
    # The stored example request (synthesized from the signature) answers too.
    stored = json.loads((tmp_path / "1/assets.extra/example_request.json").read_text())
    assert stored == info.example_request
    report = serving.check(tmp_path)
    assert len(report.response["predictions"]) == len(stored["instances"])
    # Columnar form answers with "outputs".
    report = serving.check(
        tmp_path, request={"inputs": {"a": x_a.tolist(), "b": [[1, 1], [2, 2]]}}
    )
    assert report.response["outputs"]["count"] == [[2, 2], [4, 4]]


def test_check_returns_bfloat16_outputs_as_float32(tmp_path):
    a = keras.Input((3,), name="a")
    model = keras.Model(a, keras.layers.Dense(2, dtype="mixed_bfloat16")(a))
    serving.export(model, tmp_path)
    x = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]], "float32")
    report = serving.check(tmp_path, inputs={"a": x})
    assert report.outputs[model.output_names[0]]["dtype"] == "bfloat16"
    (result,) = report.results.values()
    assert result.dtype == np.float32
    expected = keras.ops.convert_to_numpy(keras.ops.cast(model(x), "float32"))
    np.testing.assert_array_equal(result, expected)


def test_subclassed_model_needs_an_input_signature(tmp_path):
    class Doubler(keras.Model):
        def call(self, x):
            return x * 2.0

    model = Doubler()
    model(np.zeros((1, 2), "float32"))
    with pytest.raises(ValueError, match="input_signature"):
        serving.export(model, tmp_path)
    info = serving.export(
        model,
        tmp_path,
        input_signature=[keras.InputSpec(shape=(None, 2), dtype="float32")],
    )
    assert info.signatures["serving_default"] == {
        "inputs": ["input"],
        "outputs": ["outputs"],
    }


# ----- the check fails where TF Serving would ----------------------------


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


def test_op_problems_accepts_core_and_tensorflow_text_only():
    problems = serving.op_problems(
        [
            "MatMul",
            "StatelessWhile",
            "TFText>WhitespaceTokenizeWithOffsetsV2",
            "RegexSplitWithOffsets",
            "Addons>MyCustomOp",
            "CudnnRNN",
            "PyFunc",
        ]
    )
    assert len(problems) == 3
    assert "Addons>MyCustomOp is neither" in problems[0]
    assert "CudnnRNN cannot run" in problems[1]
    assert "PyFunc cannot run" in problems[2]


def test_check_reports_a_missing_signature_and_a_bad_request(tmp_path):
    tokens = keras.Input((2,), name="x")
    model = keras.Model(tokens, keras.layers.Dense(1)(tokens))
    serving.export(model, tmp_path)
    with pytest.raises(serving.NotServableError, match="no signature 'nope'"):
        serving.check(tmp_path, signature="nope")
    with pytest.raises(serving.NotServableError, match="expected a number"):
        serving.check(tmp_path, request={"instances": [["a", "b"]]})


# ----- REST conversion, as TF Serving's json_tensor does it --------------


def test_rest_inputs_convert_to_signature_dtypes():
    spec = {
        "ids": {"dtype": "int32", "shape": [-1, -1]},
        "text": {"dtype": "string", "shape": [-1]},
    }
    body = {
        "instances": [
            {"ids": [1, 2.0], "text": "héllo"},
            {"ids": [3, 4], "text": {"b64": base64.b64encode(b"\xff\x00").decode()}},
        ]
    }
    arrays, form = serving.rest_inputs(body, spec)
    assert form == "row"
    assert arrays["ids"].dtype == np.int32
    assert arrays["ids"].tolist() == [[1, 2], [3, 4]]
    assert arrays["text"].tolist() == ["héllo".encode(), b"\xff\x00"]
    with pytest.raises(ValueError, match="expected an integer"):
        serving.rest_inputs({"instances": [{"ids": [1.5], "text": "a"}]}, spec)
    with pytest.raises(ValueError, match="missing inputs"):
        serving.rest_inputs({"instances": [{"ids": [1]}]}, spec)
    with pytest.raises(ValueError, match="different shapes"):
        serving.rest_inputs(
            {"instances": [{"ids": [1], "text": "a"}, {"ids": [1, 2], "text": "b"}]},
            spec,
        )
    with pytest.raises(ValueError, match="out of range"):
        serving.rest_inputs(
            {"instances": [[2**40]]}, {"ids": {"dtype": "int32", "shape": [-1, 1]}}
        )


def test_rest_response_forms():
    outputs = {
        "score": np.array([0.5, np.nan], "float32"),
        "tag_bytes": np.array([b"\x01", b"b"]),
    }
    response = serving.rest_response(outputs, "row", 2)
    # TF Serving writes NaN as the bare literal, as json.dumps does.
    assert json.dumps(response) == (
        '{"predictions": [{"score": 0.5, "tag_bytes": {"b64": "AQ=="}}, '
        '{"score": NaN, "tag_bytes": {"b64": "Yg=="}}]}'
    )
    with pytest.raises(ValueError, match="batch size 3"):
        serving.rest_response(outputs, "row", 3)
    assert serving.rest_response({"y": np.array([[1, 2]])}, "columnar", None) == {
        "outputs": [[1, 2]]
    }


# ----- command line and saved_model_cli ----------------------------------


def test_command_line_check(tmp_path):
    x = keras.Input((2,), name="x")
    serving.export(keras.Model(x, keras.layers.Dense(1, name="y")(x)), tmp_path)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keras_seqlayers.serving",
            "check",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["inputs"] == {"x": {"dtype": "float32", "shape": [-1, 2]}}
    result = subprocess.run(
        [sys.executable, "-m", "keras_seqlayers.serving", "check", str(tmp_path / "9")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "No SavedModel" in result.stderr


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


# ----- bad input -----------------------------------------------------------


def test_export_bad_arguments(tmp_path, vocab):
    x = keras.Input((2,), name="x")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    ids = keras.Input((None,), dtype="int32", name="ids")
    id_model = keras.Model(ids, keras.layers.Embedding(len(vocab), 2)(ids))
    with pytest.raises(ValueError, match="`version` must be an integer >= 1"):
        serving.export(model, tmp_path, version=0)
    with pytest.raises(TypeError, match="received version='2'"):
        serving.export(model, tmp_path, version="2")
    with pytest.raises(ValueError, match="one integer input of shape"):
        serving.export(model, tmp_path, vocabulary=vocab)
    with pytest.raises(ValueError, match="not both"):
        serving.export(id_model, tmp_path, vocabulary=vocab, text_encoder=len)
    with pytest.raises(ValueError, match="apply to text signatures"):
        serving.export(model, tmp_path, max_length=3)
    with pytest.raises(ValueError, match="`max_length` must be an integer >= 1"):
        serving.export(id_model, tmp_path, vocabulary=vocab, max_length=0)
    with pytest.raises(TypeError, match=r"received max_length=3\.0"):
        serving.export(id_model, tmp_path, vocabulary=vocab, max_length=3.0)
    with pytest.raises(ValueError, match="`add_eos` needs `vocabulary`"):
        serving.export(id_model, tmp_path, text_encoder=len, add_eos=True)
    with pytest.raises(TypeError, match="`text_encoder` must be callable"):
        serving.export(id_model, tmp_path, text_encoder="split")
    with pytest.raises(TypeError, match="`vocabulary` must be a"):
        serving.export(id_model, tmp_path, vocabulary=["a", "b"])
    with pytest.raises(ValueError, match="must not repeat a name"):
        serving.export(model, tmp_path, input_names=["x", "x"])
    with pytest.raises(ValueError, match="one name per input"):
        serving.export(model, tmp_path, input_names=["x", "y"])
    with pytest.raises(ValueError, match="one name per output"):
        serving.export(model, tmp_path, output_names=["a", "b"])
    with pytest.raises(ValueError, match="letters, digits and underscores"):
        serving.export(model, tmp_path, output_names=["my output"])
    with pytest.raises(ValueError, match="REST body"):
        serving.export(model, tmp_path, example=[[1, 2]])
    with pytest.raises(ValueError, match="input_signature` must be a non-empty list"):
        serving.export(model, tmp_path, input_signature=[])
    with pytest.raises(TypeError, match="`input_signature` entries must be"):
        serving.export(model, tmp_path, input_signature=[(None, 2)])
    fixed = keras.Input((4,), dtype="int32")
    fixed_model = keras.Model(fixed, keras.layers.Embedding(len(vocab), 2)(fixed))
    with pytest.raises(ValueError, match="time dimension is fixed at 4"):
        serving.export(fixed_model, tmp_path, vocabulary=vocab)
    serving.export(model, tmp_path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        serving.export(model, tmp_path)
    serving.export(model, tmp_path, overwrite=True)
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="must be built"):
        serving.export(unbuilt, tmp_path / "u")


def test_check_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="No SavedModel"):
        serving.check(tmp_path)
    (tmp_path / "1").mkdir()
    with pytest.raises(FileNotFoundError, match="No SavedModel"):
        serving.check(tmp_path)
    x = keras.Input((2,), name="x")
    serving.export(keras.Model(x, x * 2), tmp_path / "m")
    with pytest.raises(ValueError, match='"instances" or "inputs"'):
        serving.check(tmp_path / "m", request={"rows": []})
    with pytest.raises(TypeError, match="`inputs` must be a dict"):
        serving.check(tmp_path / "m", inputs=[np.zeros((1, 2))])


def test_new_export_arguments_and_helpers_reject_bad_input(tmp_path, vocab):
    ids = keras.Input((None,), dtype="int32", name="ids")
    id_model = keras.Model(ids, keras.layers.Embedding(len(vocab), 2)(ids))
    with pytest.raises(ValueError, match='`text_window` must be "first" or "last"'):
        serving.export(id_model, tmp_path, vocabulary=vocab, text_window="middle")
    with pytest.raises(ValueError, match='`text_window="last"` needs `max_length`'):
        serving.export(id_model, tmp_path, vocabulary=vocab, text_window="last")
    with pytest.raises(TypeError, match="`endpoint` must be callable"):
        serving.export(id_model, tmp_path, endpoint="generate")
    with pytest.raises(TypeError, match="`text_decoder` must be callable"):
        serving.export(id_model, tmp_path, text_decoder=3)
    with pytest.raises(ValueError, match="one integer output"):
        serving.export(id_model, tmp_path, text_decoder=serving.TextDecoder(vocab))
    int_model = keras.Model(ids, ids * 1)
    with pytest.raises(ValueError, match="is also an output name"):
        serving.export(
            int_model,
            tmp_path,
            text_decoder=serving.TextDecoder(vocab),
            output_names=["text"],
        )
    with pytest.raises(TypeError, match="`tokens` must be a"):
        serving.TextEncoder("abc")
    with pytest.raises(ValueError, match="must start with the reserved tokens"):
        serving.TextEncoder(["a", "b"])
    with pytest.raises(ValueError, match='`level` must be "word" or "char"'):
        serving.TextDecoder(vocab, level="byte")
    with pytest.raises(ValueError, match="`prefix_ids` must hold integer ids in"):
        serving.TextEncoder(vocab, prefix_ids=[len(vocab)])
    with pytest.raises(TypeError, match="`suffix_ids` must hold integer ids in"):
        serving.TextEncoder(vocab, suffix_ids=[2.0])
    with pytest.raises(TypeError, match=r"received lowercase='no'"):
        serving.TextEncoder(vocab, level="char", lowercase="no")
    encoder = serving.TextEncoder(vocab, prefix_ids=(i for i in [np.int64(2)]))
    assert encoder.prefix_ids == [2]
    assert type(encoder.prefix_ids[0]) is int
    with pytest.raises(TypeError, match="`vectors` must be a"):
        serving.embedding_model(np.eye(3))
    wv = ksl.embeddings.WordVectors(["a"], np.ones((1, 2)))
    with pytest.raises(TypeError, match="`vocabulary` must be a"):
        serving.embedding_model(wv, vocabulary=["a"])


def test_text_encoder_and_decoder_match_the_models_codec():
    from keras_seqlayers.models._tokens import TokenCodec

    tokens = ["<PAD>", "<UNK>", "<EOS>", "a", "b", "\u2581", "<U+0009>", "é"]
    codec = TokenCodec(tokens, level="char", lowercase=True)
    encode = serving.TextEncoder(tokens, level="char", lowercase=True)
    texts = ["Ab a\tÉ", "zb", ""]
    assert encode(texts).to_list() == codec.encode(texts)
    decode = serving.TextDecoder(tokens, level="char")
    ids = [[3, 5, 6, 7, 2, 3], [1, 4, 0, 0, 0, 0]]
    out = [t.decode() for t in decode(np.array(ids)).numpy()]
    # TokenCodec.decode keeps <EOS>; served text stops at it, as translate does.
    assert out == [codec.decode(ids[0][:4]), codec.decode(ids[1])]
    words = serving.TextDecoder(tokens, level="word")
    assert words(np.array([[3, 4, 0]])).numpy().tolist() == [b"a b"]


def test_rest_inputs_reject_what_tf_serving_rejects():
    one = {"x": {"dtype": "float32", "shape": [-1, 2]}}
    two = {
        "a": {"dtype": "bool", "shape": [-1]},
        "s": {"dtype": "string", "shape": [-1]},
    }
    with pytest.raises(ValueError, match='"instances" must be a non-empty list'):
        serving.rest_inputs({"instances": []}, one)
    with pytest.raises(ValueError, match="each instance must be an object"):
        serving.rest_inputs({"instances": [[True, "a"]]}, two)
    with pytest.raises(ValueError, match="expected true/false"):
        serving.rest_inputs({"instances": [{"a": 1, "s": "x"}]}, two)
    with pytest.raises(ValueError, match=r"expected a string or \{'b64'"):
        serving.rest_inputs({"instances": [{"a": True, "s": 3}]}, two)
    with pytest.raises(ValueError, match="expected a number for float32"):
        serving.rest_inputs({"instances": [["1", 2]]}, one)
    with pytest.raises(ValueError, match="ragged lists cannot make a tensor"):
        serving.rest_inputs({"inputs": {"x": [[1, 2], [3]]}}, one)
    with pytest.raises(ValueError, match=r'"inputs" must be an object with keys'):
        serving.rest_inputs({"inputs": [True]}, two)
    with pytest.raises(ValueError, match=r'"inputs" is missing'):
        serving.rest_inputs({"inputs": {"a": [True]}}, two)
    arrays, form = serving.rest_inputs({"inputs": [[1, 2]]}, one)
    assert form == "columnar"
    assert arrays["x"].dtype == np.float32


def test_export_needs_shapes_and_dtypes_in_the_input_signature(tmp_path):
    x = keras.Input((2,), name="x")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    with pytest.raises(ValueError, match="need a shape and a dtype"):
        serving.export(model, tmp_path, input_signature=[keras.InputSpec(ndim=2)])

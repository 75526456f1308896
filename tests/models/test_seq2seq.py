import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_seqlayers.datasets.dates import generate_dates
from keras_seqlayers.models import LuongAttention, Seq2Seq
from tests.harness import check_config_round_trip, check_export, run_layer_test

RESERVED = ["<PAD>", "<UNK>", "<EOS>"]
PAD, UNK, EOS = 0, 1, 2


def to_numpy(x):
    return np.array(keras.ops.convert_to_numpy(x))


def log_softmax(logits):
    logits = np.asarray(logits, np.float64)
    logits = logits - logits.max(-1, keepdims=True)
    return logits - np.log(np.exp(logits).sum(-1, keepdims=True))


def small_model(cell="gru", attention="luong", units=(6, 5), target="ab"):
    return Seq2Seq(
        [*RESERVED, *"xyz"],
        [*RESERVED, *target],
        embedding_dim=4,
        units=list(units),
        cell=cell,
        attention=attention,
        max_output_length=6,
    )


def test_lengths_differ_between_source_and_target():
    model = small_model()
    logits = model([np.ones((2, 7), "int32") * 3, np.ones((2, 4), "int32") * 2])
    assert tuple(logits.shape) == (2, 4, 5)


@pytest.mark.parametrize(("cell", "attention"), [("gru", "luong"), ("lstm", None)])
def test_greedy_decoding_matches_teacher_forced_pass(cell, attention):
    # Step-by-step decoding with carried states must pick, at every step,
    # the argmax of the parallel teacher-forced pass fed with its own output.
    model = small_model(cell, attention)
    model.output_layer.bias.assign(np.array([0, 0, -1.5, 0, 0], "float32"))
    source = np.array([[3, 4, 5, 3, 0, 0], [5, 5, 4, 3, 4, 3]], "int32")
    generated = to_numpy(model.generate(source, max_length=6))
    for row, tokens in zip(source, generated, strict=True):
        tokens = list(tokens)
        length = tokens.index(EOS) + 1 if EOS in tokens else len(tokens)
        assert all(t == PAD for t in tokens[length:])
        decoder_inputs = np.array([[EOS, *tokens[: length - 1]]], "int32")
        logits = to_numpy(model([row[None], decoder_inputs]))[0]
        logits[:, PAD] = -np.inf
        np.testing.assert_array_equal(logits.argmax(-1), tokens[:length])


# The one-token source attends over one step: a softmax over one score is
# weight 1, as meant; Keras warns about any softmax over an axis of size 1.
@pytest.mark.filterwarnings("ignore:You are using a softmax over axis:UserWarning")
def test_source_padding_does_not_change_outputs():
    model = small_model()
    sources = [[3, 4], [5, 4, 3, 3, 5], [4]]
    batch = to_numpy(
        model.generate(np.array([s + [PAD] * (5 - len(s)) for s in sources], "int32"))
    )
    for source, row in zip(sources, batch, strict=True):
        alone = to_numpy(model.generate(np.array([source], "int32")))[0]
        np.testing.assert_array_equal(row, alone)


def sequence_log_prob(model, source, tokens):
    logits = to_numpy(model([source, np.array([[EOS, *tokens[:-1]]], "int32")]))[0]
    log_probs = log_softmax(logits)
    return sum(log_probs[t, token] for t, token in enumerate(tokens))


def test_beam_search_finds_the_most_probable_output():
    # Brute force over every output of at most 3 tokens (ended by <EOS>, or
    # cut at 3 tokens); a beam as wide as that set is exhaustive.
    model = small_model(target="a")
    model.output_layer.bias.assign(np.array([0, -1, 0.5, 0, 0], "float32")[:4])
    source = np.array([[3, 5, 4]], "int32")
    outputs = []
    for length in (1, 2, 3):
        for body in itertools.product([UNK, 3], repeat=length - 1):
            outputs.append([*body, EOS])
    outputs += [
        list(t)
        for t in itertools.product([UNK, EOS, 3], repeat=3)
        if EOS not in t[:2] and t[2] != EOS
    ]
    scores = [sequence_log_prob(model, source, o) for o in outputs]
    best = outputs[int(np.argmax(scores))]
    score, tokens = model._beam_search(source, beam_width=27, max_length=3)
    assert tokens == best
    assert score == pytest.approx(max(scores), abs=1e-4)
    # Width 1 is greedy decoding.
    greedy = list(to_numpy(model.generate(source, max_length=3))[0])
    _, tokens = model._beam_search(source, beam_width=1, max_length=3)
    assert tokens == [t for t in greedy if t != PAD]


def test_learns_dates_to_iso():
    # A small version of examples/seq2seq_dates.py (which reaches >= 95%).
    keras.utils.set_random_seed(0)
    train = generate_dates(3000, seed=0)
    seen = {s for s, _ in train}
    held_out = [p for p in generate_dates(300, seed=1) if p[0] not in seen]
    model = Seq2Seq.from_pairs(
        train, units=48, embedding_dim=16, lowercase=True, max_output_length=11
    )
    model.compile(optimizer=keras.optimizers.Adam(5e-3, clipnorm=1.0))
    x, y = model.training_data(train)
    model.fit(x, y, batch_size=64, epochs=5, verbose=0)
    assert model.exact_match(held_out) >= 0.8
    sources = [s for s, _ in held_out[:20]]
    assert model.translate(sources[:5], beam_width=3) == [t for _, t in held_out[:5]]


def test_training_data_layout():
    model = Seq2Seq([*RESERVED, *"xy"], [*RESERVED, *"ab"])
    (source, decoder_inputs), targets = model.training_data([("xyx", "b"), ("y", "ab")])
    np.testing.assert_array_equal(source, [[3, 4, 3], [4, PAD, PAD]])
    np.testing.assert_array_equal(decoder_inputs, [[EOS, 4, PAD], [EOS, 3, 4]])
    np.testing.assert_array_equal(targets, [[4, EOS, PAD], [3, 4, EOS]])


def test_save_load_and_export(tmp_path):
    pairs = [("xy", "ab"), ("yyx", "b"), ("z", "aab")]
    model = Seq2Seq.from_pairs(pairs, units=[5, 4], cell="lstm", max_output_length=5)
    model.compile()
    x, y = model.training_data(pairs)
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "s2s.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is Seq2Seq
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(loaded.predict_on_batch(x), model.predict_on_batch(x))
    assert loaded.translate(["xyz", "y"]) == model.translate(["xyz", "y"])
    assert loaded.optimizer.clipnorm == 1.0
    # Teacher-forced endpoint with the default (integer) signature, served
    # by a process that cannot import the package.
    check_export(model, x, tmp_path, atol=1e-5)
    # Greedy decoding as an endpoint, with an explicit integer signature.
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "generate",
        lambda source: model.generate(source, max_length=5),
        input_signature=[tf.TensorSpec((None, None), tf.int32)],
    )
    archive.write_out(str(tmp_path / "generate"), verbose=False)
    served = tf.saved_model.load(str(tmp_path / "generate"))
    np.testing.assert_array_equal(served.generate(x[0]), model.generate(x[0], 5))


def test_config_round_trip():
    check_config_round_trip(
        Seq2Seq,
        {
            "source_vocabulary": [*RESERVED, "x"],
            "target_vocabulary": [*RESERVED, "a", "b"],
            "units": [4, 3],
            "cell": "lstm",
            "attention": None,
            "max_output_length": 7,
            "lowercase": True,
        },
    )


def test_luong_attention_layer(tmp_path):
    rng = np.random.default_rng(0)
    query = rng.normal(size=(2, 3, 4)).astype("float32")
    values = rng.normal(size=(2, 5, 6)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layer = LuongAttention(7)
    attended, weights = layer([query, values, mask], return_weights=True)
    # NumPy from the formulas.
    w_a, w_c = (v.numpy() for v in (layer.score_kernel, layer.combine_kernel))
    scores = np.einsum("btq,bsv,vq->bts", query, values, w_a)
    scores = np.where(mask[:, None, :], scores, -np.inf)
    alpha = np.exp(scores - scores.max(-1, keepdims=True))
    alpha /= alpha.sum(-1, keepdims=True)
    context = alpha @ values
    expected = np.tanh(np.concatenate([context, query], -1) @ w_c)
    np.testing.assert_allclose(weights, alpha, atol=1e-6)
    np.testing.assert_allclose(attended, expected, atol=1e-5)
    run_layer_test(
        LuongAttention,
        {"units": 7},
        [query, values, mask],
        expected_output_shape=(2, 3, 7),
        tmp_path=tmp_path,
    )


def test_bad_arguments():
    good = [*RESERVED, "a"]
    with pytest.raises(ValueError, match="`attention` must be one of"):
        Seq2Seq(good, good, attention="bahdanau")
    with pytest.raises(ValueError, match="`max_output_length` must be an integer >= 1"):
        Seq2Seq(good, good, max_output_length=0)
    with pytest.raises(ValueError, match="`target_vocabulary` must start with"):
        Seq2Seq(good, ["a"])
    with pytest.raises(ValueError, match="`units` must be an integer >= 1"):
        LuongAttention(0)
    model = Seq2Seq(good, good, units=3)
    with pytest.raises(ValueError, match="`beam_width` must be an integer >= 1"):
        model.translate(["a"], beam_width=0)
    with pytest.raises(ValueError, match="`max_length` must be an integer >= 1"):
        model.generate(np.ones((1, 2), "int32"), max_length=0)


def test_fit_compiles_under_xla():
    pairs = [("xy", "ab"), ("yyx", "b")]
    model = Seq2Seq.from_pairs(pairs, units=[5, 4])
    model.compile(jit_compile=True)
    x, y = model.training_data(pairs)
    before = model.output_layer.kernel.numpy()
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.allclose(model.output_layer.kernel.numpy(), before)

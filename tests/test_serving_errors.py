"""Bad arguments to ksl.serving's export, check, text endpoints and
embedding_model: each error names the argument and what is allowed."""

import keras
import numpy as np
import pytest

import keras_seqlayers as ksl
from keras_seqlayers import serving

CORPUS = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"]


@pytest.fixture(scope="module")
def vocab():
    return ksl.text.Vocabulary.build(CORPUS)


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
    with pytest.raises(TypeError, match=r"`verbose` must be True or False"):
        serving.check(tmp_path / "m", verbose="yes")


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


def test_export_needs_shapes_and_dtypes_in_the_input_signature(tmp_path):
    x = keras.Input((2,), name="x")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    with pytest.raises(ValueError, match="need a shape and a dtype"):
        serving.export(model, tmp_path, input_signature=[keras.InputSpec(ndim=2)])


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

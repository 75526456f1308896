"""Training runs for tests/test_distribute.py, one per process.

Usage: python distribute_script.py MODE OUT_FILE

MODE: `classifier-single`, `classifier-mirrored` (two logical CPU devices),
`classifier-worker` (one worker of a MultiWorkerMirroredStrategy; TF_CONFIG
set by the caller), `word2vec-single`, `word2vec-mirrored`. Writes the final
weights and the loss history to OUT_FILE (.npz).
"""

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf

MODE, OUT = sys.argv[1], sys.argv[2]
if MODE.endswith("mirrored"):
    # Two logical CPU devices: must happen before TensorFlow initializes.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_seqlayers as ksl  # noqa: E402

GLOBAL_BATCH = 16


def strategy():
    if MODE.endswith("mirrored"):
        return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    if MODE.endswith("worker"):
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def classifier_data():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 30, size=(64, 9)).astype("int32")
    lengths = rng.integers(3, 10, size=64)
    x[np.arange(9)[None, :] >= lengths[:, None]] = 0  # right padding
    y = (x[:, 0] > 15).astype("int32")  # learnable from the first token
    return x, y


def classifier(strat):
    x, y = classifier_data()
    keras.utils.set_random_seed(7)
    with strat.scope():
        tokens = keras.Input((None,), dtype="int32")
        h = keras.layers.Embedding(30, 8, mask_zero=True)(tokens)
        h = ksl.layers.GRU(6)(h)
        model = keras.Model(tokens, keras.layers.Dense(2)(h))
        model.compile(
            optimizer=keras.optimizers.SGD(0.5),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    history = model.fit(dataset.with_options(options), epochs=3, verbose=0)
    return model, history.history["loss"]


def word2vec(strat):
    corpus = ksl.datasets.load_wikipedia_sample(split="train")[:6]
    vocab = ksl.text.Vocabulary.build(corpus, min_count=3)
    # The pairs are drawn once, outside the strategy, so both runs train on
    # the same batches in the same order.
    pairs = ksl.text.skipgram_dataset(
        vocab.encode(corpus),
        counts=vocab.counts,
        batch_size=256,
        drop_ids=(0, 1, 2),
        seed=5,
    )
    centers, contexts = (
        np.concatenate(parts) for parts in zip(*pairs.as_numpy_iterator(), strict=True)
    )
    dataset = tf.data.Dataset.from_tensor_slices((centers, contexts)).batch(256)
    dataset = dataset.map(lambda c, t: ((c, t),))
    keras.utils.set_random_seed(7)
    with strat.scope():
        # Hierarchical softmax has no random draws, so one device and two
        # replicas see the same arithmetic up to summation order.
        model = ksl.models.Word2Vec(
            vocab.words[3:],
            vocab.counts[3:].tolist(),
            embedding_dim=8,
            loss="hierarchical_softmax",
            seed=3,
        )
        # Word2Vec.fit compiles with XLA by default; XLA cannot use variables
        # mirrored on another device (TF known issue "tf.Variable on a
        # different device"), so both runs compile without it here.
        model.compile(optimizer=keras.optimizers.SGD(0.025), jit_compile=False)
    history = model.fit(dataset, epochs=2, verbose=0)
    return model, history.history["loss"]


def main():
    strat = strategy()
    model, losses = (word2vec if MODE.startswith("word2vec") else classifier)(strat)
    weights = [keras.ops.convert_to_numpy(w) for w in model.weights]
    np.savez(
        OUT,
        *weights,
        losses=np.array(losses),
        replicas=np.array(strat.num_replicas_in_sync),
    )


if __name__ == "__main__":
    main()

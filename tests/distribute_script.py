"""Training runs for tests/test_distribute.py, several in one process.

Usage: python distribute_script.py OUT_DIR MODE [MODE ...]

Each MODE trains in turn in this process and writes its final weights and
loss history to OUT_DIR/MODE.npz, or its traceback to OUT_DIR/MODE.err, so
one failing run does not hide the others. TensorFlow starts once for all of
them: that start-up is most of a short run's cost.

MODE: `classifier-single`, `classifier-mirrored` (two logical CPU devices),
`classifier-worker` (one worker of a MultiWorkerMirroredStrategy; TF_CONFIG
set by the caller), `word2vec-single`, `word2vec-mirrored`,
`word2vec_corpus-mirrored` (`Word2Vec.fit` on a corpus, its defaults),
`glove_matrix-mirrored` (`ksl.models.GloVe` built, or loaded from a one-device
save, under the strategy: fit with its defaults, which must turn off XLA and
multi-step calls). A worker runs alone: its strategy owns the process.
"""

import functools
import os
import sys
import traceback

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf

OUT_DIR, MODES = sys.argv[1], sys.argv[2:]
if any(mode.endswith("mirrored") for mode in MODES):
    # Two logical CPU devices: must happen before TensorFlow initializes.
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_seqlayers as ksl  # noqa: E402

GLOBAL_BATCH = 16


@functools.cache
def _mirrored():
    # One strategy for every mirrored run: a second MirroredStrategy in the
    # same process reuses the first one's collective instance keys, and its
    # all-reduce aborts ("Collective instance ... expected type").
    return tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])


def strategy(mode):
    if mode.endswith("mirrored"):
        return _mirrored()
    if mode.endswith("worker"):
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.get_strategy()


def classifier_data():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 30, size=(64, 9)).astype("int32")
    lengths = rng.integers(3, 10, size=64)
    x[np.arange(9)[None, :] >= lengths[:, None]] = 0  # right padding
    y = (x[:, 0] > 15).astype("int32")  # learnable from the first token
    return x, y


def classifier_model():
    # Embedding -> Bidirectional(GRU) -> softmax, masking the padding.
    model = ksl.models.RecurrentClassifier(30, 8, num_classes=2, units=6)
    model(np.zeros((1, 9), "int32"))
    return model


def classifier(strat):
    x, y = classifier_data()
    keras.utils.set_random_seed(7)
    with strat.scope():
        model = classifier_model()
        model.compile(
            optimizer=keras.optimizers.SGD(0.5),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False),
        )
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    history = model.fit(dataset.with_options(options), epochs=3, verbose=0)
    return model, history.history["loss"]


def classifier_custom_loop(strat):
    """The classifier trained by a tf.distribute custom loop.

    Keras 3's `Model.fit` does not run under MultiWorkerMirroredStrategy
    (keras-team/keras#20585, tensorflow/tensorflow#72388: it fails turning
    a PerReplica batch into a tensor), so workers train with `strategy.run`,
    the same model, optimizer and global-batch-mean loss as `fit`.
    """
    x, y = classifier_data()
    keras.utils.set_random_seed(7)
    with strat.scope():
        model = classifier_model()
        optimizer = keras.optimizers.SGD(0.5)
        optimizer.build(model.trainable_variables)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(
        from_logits=False, reduction=None
    )
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    dist = strat.experimental_distribute_dataset(dataset.with_options(options))

    @tf.function
    def step(batch_x, batch_y):
        with tf.GradientTape() as tape:
            logits = model(batch_x, training=True)
            loss = tf.nn.compute_average_loss(
                loss_fn(batch_y, logits), global_batch_size=GLOBAL_BATCH
            )
        grads = tape.gradient(loss, model.trainable_variables)
        # The Keras optimizer sums the gradients across replicas itself.
        optimizer.apply(grads, model.trainable_variables)
        return loss

    losses = []
    for _ in range(3):
        total, count = 0.0, 0
        for batch_x, batch_y in dist:
            per_replica = strat.run(step, args=(batch_x, batch_y))
            total += float(strat.reduce("SUM", per_replica, axis=None))
            count += 1
        losses.append(total / count)
    return model, losses


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


def word2vec_corpus(strat):
    corpus = ksl.datasets.load_wikipedia_sample(split="train")[:6]
    keras.utils.set_random_seed(7)
    with strat.scope():
        model = ksl.models.Word2Vec.from_corpus(corpus, embedding_dim=8, min_count=3)
    history = model.fit(corpus, epochs=2, batch_size=256, verbose=0)
    return model, history.history["loss"]


def glove_matrix(strat, path):
    corpus = ksl.datasets.load_wikipedia_sample(split="train")[:6]
    vocab = ksl.text.Vocabulary.build(corpus, min_count=3)
    matrix = ksl.text.cooccurrence(vocab.encode(corpus), len(vocab), verbose=0)
    keras.utils.set_random_seed(7)
    # Saved on one device (outside the scope), with the one-device compile.
    saved = ksl.models.GloVe(len(vocab), 8)
    saved.compile()
    saved.save(path)
    with strat.scope():
        model = ksl.models.GloVe(len(vocab), 8)
        loaded = keras.saving.load_model(path)
    history = model.fit(matrix, epochs=3, batch_size=256, seed=0, verbose=0)
    loaded.fit(matrix, epochs=1, batch_size=256, seed=0, verbose=0)
    for m in (model, loaded):
        if (m.jit_compile, m.steps_per_execution) != (False, 1):
            raise RuntimeError(
                f"{m.name}: jit_compile={m.jit_compile}, steps_per_execution="
                f"{m.steps_per_execution}; expected False and 1 when mirrored"
            )
    return model, history.history["loss"]


def train(mode, strat):
    if mode.startswith("glove_matrix"):
        return glove_matrix(strat, os.path.join(OUT_DIR, mode + ".keras"))
    if mode.startswith("word2vec_corpus"):
        return word2vec_corpus(strat)
    if mode.startswith("word2vec"):
        return word2vec(strat)
    if mode.endswith("worker"):
        return classifier_custom_loop(strat)
    return classifier(strat)


def main():
    for mode in MODES:
        try:
            strat = strategy(mode)
            model, losses = train(mode, strat)
        except Exception:
            with open(os.path.join(OUT_DIR, mode + ".err"), "w") as f:
                f.write(traceback.format_exc())
            continue
        weights = [w.numpy() for w in model.weights]
        np.savez(
            os.path.join(OUT_DIR, mode + ".npz"),
            *weights,
            losses=np.array(losses),
            replicas=np.array(strat.num_replicas_in_sync),
        )


if __name__ == "__main__":
    main()

"""Quickstart: a character-level language model with our GRU, end to end.

Trains `Embedding -> ksl.layers.GRU -> Dense` to predict the next character of
the bundled Wikipedia sample, saves it as a `.keras` file, exports a
SavedModel for TF Serving, reloads both and continues a prompt with each.
About a minute on a 2-core CPU, offline.

    python examples/quickstart.py [--epochs 5] [--out saved_models]
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf

import keras_seqlayers as ksl

ALPHABET = "\n abcdefghijklmnopqrstuvwxyz0123456789.,;:'()-?!"
UNKNOWN = len(ALPHABET)  # every other character maps here


def encode(text):
    index = {c: i for i, c in enumerate(ALPHABET)}
    return np.array([index.get(c, UNKNOWN) for c in text.lower()], "int32")


def decode(ids):
    return "".join(ALPHABET[i] if i < len(ALPHABET) else "~" for i in ids)


def build_model(vocab_size, units):
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(vocab_size, 32)(tokens)
    x = ksl.layers.GRU(units, return_sequences=True)(x)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)
    return keras.Model(tokens, logits)


def continue_text(predict, prompt, length):
    """Greedy continuation; `predict` maps int32 ids (1, time) to logits."""
    ids = list(encode(prompt))
    for _ in range(length):
        logits = np.asarray(predict(np.array([ids], "int32")))
        ids.append(int(np.argmax(logits[0, -1])))
    return decode(ids)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--chars", type=int, default=500_000)
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--out", default="saved_models")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    text = "\n".join(ksl.datasets.load_wikipedia_sample(split="train"))
    ids = encode(text[: args.chars])
    window = 64
    count = (len(ids) - 1) // window
    x = ids[: count * window].reshape(count, window)
    y = ids[1 : count * window + 1].reshape(count, window)
    split = int(0.9 * count)
    print(f"{len(ids):,} characters, {count:,} windows of {window}")

    model = build_model(len(ALPHABET) + 1, args.units)
    model.compile(
        optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    start = time.perf_counter()
    model.fit(
        x[:split],
        y[:split],
        validation_data=(x[split:], y[split:]),
        batch_size=64,
        epochs=args.epochs,
        verbose=2,
    )
    val_loss = model.evaluate(x[split:], y[split:], verbose=0)
    print(
        f"trained in {time.perf_counter() - start:.0f}s; held-out "
        f"perplexity per character {np.exp(val_loss):.2f} "
        f"(uniform guess: {len(ALPHABET) + 1})"
    )

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras_path = out / "quickstart.keras"
    export_path = out / "quickstart"
    model.save(keras_path)
    model.export(str(export_path), verbose=False)
    print(f"saved {keras_path} and the SavedModel {export_path}/")

    reloaded = keras.saving.load_model(keras_path, safe_mode=True)
    served = tf.saved_model.load(str(export_path))
    prompt = "the history of the "
    from_keras = continue_text(reloaded.predict_on_batch, prompt, 60)
    from_saved_model = continue_text(served.serve, prompt, 60)
    print(f".keras     : {from_keras!r}")
    print(f"SavedModel : {from_saved_model!r}")
    if from_keras != from_saved_model:
        raise SystemExit("the SavedModel and the .keras model disagree")


if __name__ == "__main__":
    main()

"""Quickstart: a character-level language model with our GRU, end to end.

Trains `Embedding -> ksl.layers.GRU -> Dense` to predict the next character of
the bundled Wikipedia sample, saves it as a `.keras` file, exports a
SavedModel for TF Serving, reloads both and continues a prompt with each:
greedily (always the likeliest next character, which soon loops on frequent
phrases) and by sampling with a temperature (varied text, some of it
misspelt). About a minute on a 2-core CPU, offline.

    python examples/quickstart.py [--epochs 5] [--out saved_models]
"""

import time
from pathlib import Path

import _common
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


def continue_text(predict, prompt, length, temperature=0.0, seed=0):
    """Continues `prompt` one character at a time.

    `predict` maps int32 ids (1, time) to logits. Temperature 0 is greedy
    (argmax); above 0 the next character is drawn from
    `softmax(logits / temperature)`.
    """
    rng = np.random.default_rng(seed)
    ids = list(encode(prompt))
    for _ in range(length):
        logits = np.asarray(predict(np.array([ids], "int32")))[0, -1]
        if temperature == 0:
            ids.append(int(np.argmax(logits)))
            continue
        scaled = logits.astype("float64") / temperature
        probs = np.exp(scaled - scaled.max())
        ids.append(int(rng.choice(len(probs), p=probs / probs.sum())))
    return decode(ids)


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument("--epochs", type=int, default=5, help="training epochs")
    parser.add_argument(
        "--chars", type=int, default=500_000, help="characters of text to train on"
    )
    parser.add_argument("--units", type=int, default=128, help="GRU units")
    parser.add_argument(
        "--temperature",
        type=float,
        default=0.7,
        help="sampling temperature of the second continuation (> 0)",
    )
    parser.add_argument(
        "--out", default="saved_models", help="folder for the saved models"
    )
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.temperature <= 0:
        parser.error(f"--temperature must be > 0; got {args.temperature}")
    print(
        f"Training a character-level GRU language model on {args.chars:,} "
        f"characters of the bundled Wikipedia sample for {args.epochs} epochs, "
        "then saving, exporting and reloading it (about a minute with the "
        "defaults on a 2-core CPU).",
        flush=True,
    )
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
    print(f"greedy, .keras     : {from_keras!r}")
    print(f"greedy, SavedModel : {from_saved_model!r}")
    if from_keras != from_saved_model:
        raise SystemExit("the SavedModel and the .keras model disagree")
    sampled = continue_text(
        reloaded.predict_on_batch, prompt, 60, temperature=args.temperature
    )
    print(f"sampled, temperature {args.temperature}: {sampled!r}")


if __name__ == "__main__":
    main()

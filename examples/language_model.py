"""One-to-many: sampling text from a recurrent language model.

Trains `ksl.models.LanguageModel` (character level by default: embedding, a
stack of two `ksl.layers.GRU`, softmax over the characters) on paragraphs of
the bundled Wikipedia sample, prints the per-token perplexity of held-out
paragraphs (the "test" articles, never seen in training) and samples text at
several temperatures, each prediction fed back as the next input. Rare
characters become `<UNK>`, which sampling never produces; `<EOS>` ends a
paragraph. Saves the model as `.keras` and exports a SavedModel (int32
token ids -> next-token logits). A few minutes on a 2-core CPU, offline.

    python examples/language_model.py [--epochs 4] [--level char|word]
        [--out saved_models]
"""

import time
from pathlib import Path

import _common
import keras
import numpy as np
import tensorflow as tf

import keras_seqlayers as ksl


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument(
        "--level",
        choices=("char", "word"),
        default="char",
        help="model characters or words",
    )
    parser.add_argument("--epochs", type=int, default=4, help="training epochs")
    parser.add_argument(
        "--paragraphs", type=int, default=1200, help="training paragraphs"
    )
    parser.add_argument(
        "--units",
        type=int,
        nargs="+",
        default=[128, 128],
        help="units of each stacked GRU",
    )
    parser.add_argument(
        "--sequence-length", type=int, default=100, help="tokens per training row"
    )
    parser.add_argument(
        "--out", default="saved_models", help="folder for the saved models"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        f"Training a {args.level}-level GRU language model on "
        f"{args.paragraphs} paragraphs of the bundled Wikipedia sample for "
        f"{args.epochs} epochs, then sampling text at three temperatures "
        "(about 3 minutes with the defaults on a 2-core CPU).",
        flush=True,
    )
    keras.utils.set_random_seed(0)

    train = ksl.datasets.load_wikipedia_sample("train", unit="paragraph")
    test = ksl.datasets.load_wikipedia_sample("test", unit="paragraph")
    train, test = train[: args.paragraphs], test[: max(1, args.paragraphs // 10)]
    # Characters (or words) seen fewer than `min_count` times become <UNK>.
    model = ksl.models.LanguageModel.from_texts(
        train,
        level=args.level,
        min_count=20 if args.level == "char" else 3,
        max_size=None if args.level == "char" else 8000,
        lowercase=True,
        embedding_dim=32 if args.level == "char" else 64,
        units=args.units,
        cell="gru",
    )
    x, y = model.training_data(train, sequence_length=args.sequence_length)
    unknown = float(np.mean(y[y != 0] == 1))
    print(
        f"{len(train)} training paragraphs -> {x.shape[0]:,} rows of "
        f"{x.shape[1]} {args.level}s; vocabulary {model.vocab_size} "
        f"({unknown:.2%} of training tokens are <UNK>); "
        f"{len(test)} held-out paragraphs"
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=model.clipnorm))
    start = time.perf_counter()
    model.fit(x, y, batch_size=32, epochs=args.epochs, verbose=2)
    print(f"trained in {time.perf_counter() - start:.0f}s")

    perplexity = model.perplexity(test)
    print(
        f"held-out perplexity per {args.level}: {perplexity:.2f} "
        f"(uniform over the vocabulary: {model.vocab_size - 2})"
    )
    for prompt, temperature in [("", 0.5), ("the history of ", 0.7), ("in 19", 1.0)]:
        text = model.sample(prompt, max_length=200, temperature=temperature, seed=1)
        print(f"\nsample (prompt {prompt!r}, temperature {temperature}):\n{text}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras_path = out / f"language_model_{args.level}.keras"
    export_path = out / f"language_model_{args.level}"
    model.save(keras_path)
    # Integer token ids need an explicit signature: `export()` infers float
    # inputs for subclassed models (docs/architecture.md, known pitfalls).
    model.export(
        str(export_path),
        input_signature=[tf.TensorSpec((None, None), tf.int32)],
        verbose=False,
    )
    print(f"\nsaved {keras_path} and the SavedModel {export_path}/")

    reloaded = keras.saving.load_model(keras_path, safe_mode=True)
    served = tf.saved_model.load(str(export_path))
    ids = x[:4]
    if not np.allclose(served.serve(ids), model.predict_on_batch(ids), atol=1e-4):
        raise SystemExit("the SavedModel and the model disagree")
    if reloaded.sample("the ", max_length=50, seed=2) != model.sample(
        "the ", max_length=50, seed=2
    ):
        raise SystemExit("the reloaded .keras model samples differently")


if __name__ == "__main__":
    main()

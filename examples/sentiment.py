"""Many-to-one: sentiment with averaged word vectors vs a bidirectional GRU.

Offline there is no sizeable labelled sentiment corpus to ship, so the
default task is generated (`ksl.datasets.negation_sentiment`): short reviews
whose label depends on negation and word order ("the film was not good",
"the plot was dull and not great"). Its "contrast" sentences come in pairs
with the same words and opposite labels, so a bag-of-words model is right on
exactly half of them by construction; the recurrent model reads the order.

`--pang-lee` instead uses the 200 labelled movie-review sentences (Pang and
Lee's sentence polarity data) that gensim ships as test data
(`gensim/test/test_data/pang_lee_polarity.cor`, needs `pip install gensim`);
with 160 training sentences, expect numbers near chance: it shows the
pipeline on real text, not a useful classifier.

`--vectors file` starts both models from word2vec-format vectors (frozen,
or fine-tuned with `--fine-tune`).

Prints accuracy per sentence form and exports the recurrent model
(SavedModel with an int32 token-id input, and a `.keras` file) under
`saved_models/sentiment`. About a minute on a 2-core CPU.

    python examples/sentiment.py [--epochs 8] [--pang-lee] [--vectors v.txt]
"""

from pathlib import Path

import _common
import keras
import numpy as np

import keras_seqlayers as ksl


def pang_lee():
    """(texts, labels) from gensim's copy of the Pang & Lee sentences."""
    import gensim.test.utils

    path = gensim.test.utils.datapath("pang_lee_polarity.cor")
    texts, labels = [], []
    # The file is Windows-1252 text (0x97 is an em dash there).
    with open(path, encoding="cp1252") as f:
        for line in f:
            label, _, text = line.strip().partition(" ")
            texts.append(text)
            labels.append(int(label == "__label__pos"))
    return texts, np.array(labels)


def load_data(args):
    if not args.pang_lee:
        train = ksl.datasets.negation_sentiment(args.examples, seed=0)
        test = ksl.datasets.negation_sentiment(args.examples // 4, seed=1)
        return train, test
    texts, labels = pang_lee()
    order = np.random.default_rng(0).permutation(len(texts))
    cut = int(0.8 * len(texts))
    pick = lambda idx: (  # noqa: E731
        [texts[i] for i in idx],
        labels[idx],
        ["review"] * len(idx),
    )
    return pick(order[:cut]), pick(order[cut:])


def encode(vocabulary, texts):
    return keras.utils.pad_sequences(
        vocabulary.encode(texts), padding="post", dtype="int32"
    )


def make_model(cls, vocabulary, args, **kwargs):
    if args.vectors:
        vectors = ksl.embeddings.load_word2vec_format(args.vectors)
        return cls.from_pretrained(
            vectors,
            num_classes=2,
            vocabulary=vocabulary,
            trainable_embeddings=args.fine_tune,
            **kwargs,
        )
    return cls(len(vocabulary), args.dim, 2, **kwargs)


def report(name, model, x, y, kinds):
    right = keras.ops.convert_to_numpy(model.predict(x, verbose=0)).argmax(-1) == y
    parts = [f"all {right.mean():.3f}"]
    for kind in sorted(set(kinds)):
        chosen = np.array(kinds) == kind
        parts.append(f"{kind} {right[chosen].mean():.3f} (n={chosen.sum()})")
    print(f"{name:>34}: " + ", ".join(parts))


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument("--epochs", type=int, default=8, help="training epochs")
    parser.add_argument(
        "--examples",
        type=int,
        default=4000,
        help="generated training sentences (a quarter as many held out)",
    )
    parser.add_argument("--dim", type=int, default=32, help="embedding size")
    parser.add_argument("--units", type=int, default=32, help="GRU units")
    parser.add_argument(
        "--pang-lee",
        action="store_true",
        help="use gensim's 200 Pang & Lee sentences instead (needs gensim)",
    )
    parser.add_argument(
        "--vectors", help="word2vec-format vectors to start both models from"
    )
    parser.add_argument(
        "--fine-tune", action="store_true", help="train the --vectors too"
    )
    parser.add_argument(
        "--out", default="saved_models/sentiment", help="folder for the exports"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        "Training an averaged-embedding classifier and a bidirectional GRU "
        f"classifier for {args.epochs} epochs on "
        + ("the Pang & Lee sentences" if args.pang_lee else "generated reviews")
        + ", then comparing their held-out accuracy (about a minute with the "
        "defaults on a 2-core CPU).",
        flush=True,
    )
    keras.utils.set_random_seed(0)

    (train_texts, y_train, _), (test_texts, y_test, test_kinds) = load_data(args)
    vocabulary = ksl.text.Vocabulary.build(train_texts)
    x_train = encode(vocabulary, train_texts)
    x_test = encode(vocabulary, test_texts)
    print(
        f"{len(train_texts)} training and {len(test_texts)} test sentences, "
        f"vocabulary {len(vocabulary)}; e.g. {test_texts[0]!r} -> {y_test[0]}"
    )

    models = {
        "AveragedEmbeddingClassifier": make_model(
            ksl.models.AveragedEmbeddingClassifier, vocabulary, args
        ),
        "RecurrentClassifier (bi-GRU)": make_model(
            ksl.models.RecurrentClassifier, vocabulary, args, units=args.units
        ),
    }
    print("held-out accuracy:")
    for name, model in models.items():
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, verbose=0)
        report(name, model, x_test, y_test, test_kinds)

    recurrent = models["RecurrentClassifier (bi-GRU)"]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    recurrent.save(out / "model.keras")
    vocabulary.save(out / "vocabulary.txt")
    # The classifier's export defaults to an int32 (batch, time) input.
    recurrent.export(str(out / "saved_model"), verbose=False)
    print(f"exported {out / 'saved_model'} (and model.keras, vocabulary.txt)")


if __name__ == "__main__":
    main()

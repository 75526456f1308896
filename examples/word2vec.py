"""Word2vec end to end on the bundled Wikipedia sample.

Trains skip-gram with negative sampling (`ksl.models.Word2Vec`) on the
offline Wikipedia sample, prints nearest neighbours and analogies (with a
note on how few of them a corpus of 340,000 words supports), writes the
vectors (word2vec text format), the vocabulary, TensorBoard Projector files
and a 2-D PCA plot of chosen words (the plot needs matplotlib, the `plots`
extra; without it the points are written as pca.tsv). About a minute on a
2-core CPU, offline.

Usage:
    python examples/word2vec.py [--epochs 5] [--dim 100] [--out saved_models/word2vec]
"""

import os

import _common
import numpy as np

import keras_seqlayers as ksl

PROBES = ["war", "music", "water", "language", "king", "city"]
PLOT_WORDS = [
    "king",
    "queen",
    "man",
    "woman",
    "father",
    "mother",
    "son",
    "daughter",
    "france",
    "germany",
    "england",
    "paris",
    "london",
    "water",
    "fire",
    "earth",
]


def pca_2d(x):
    x = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    return x @ vt[:2].T


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument("--epochs", type=int, default=5, help="training epochs")
    parser.add_argument("--dim", type=int, default=100, help="vector size")
    parser.add_argument(
        "--min-count",
        type=int,
        default=5,
        help="words seen fewer times are left out of the vocabulary",
    )
    parser.add_argument(
        "--out", default="saved_models/word2vec", help="folder for the outputs"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        f"Training skip-gram word2vec ({args.dim}-d, {args.epochs} epochs) on "
        "the bundled Wikipedia sample, then showing neighbours and analogies "
        "and writing the vectors and a plot (about a minute with the defaults on "
        "a 2-core CPU).",
        flush=True,
    )

    docs = ksl.datasets.load_wikipedia_sample(unit="paragraph")
    tokenizer = ksl.text.Tokenizer(lowercase=True, split="words")
    corpus = tokenizer.tokenize_to_lists(docs)
    tokens = sum(len(d) for d in corpus)
    print(f"{len(corpus)} paragraphs, {tokens:,} tokens")

    model = ksl.models.Word2Vec.from_corpus(
        corpus, min_count=args.min_count, embedding_dim=args.dim, seed=0
    )
    print(f"vocabulary: {len(model.words):,} words (min_count={args.min_count})")
    history = model.fit(corpus, epochs=args.epochs, verbose=2, seed=0)
    print(
        "words/sec per epoch:",
        ", ".join(f"{r:,.0f}" for r in history.history["words_per_sec"]),
    )

    wv = model.vectors
    for word in PROBES:
        if word in wv:
            near = ", ".join(w for w, _ in wv.most_similar(word, topn=6))
            print(f"  {word:10s} -> {near}")
    _common.print_analogies(wv)

    os.makedirs(args.out, exist_ok=True)
    ksl.embeddings.save_word2vec_format(os.path.join(args.out, "vectors.txt"), wv)
    model.vocabulary.save(os.path.join(args.out, "vocabulary.txt"))
    counts = model.vocabulary.counts[3:].tolist()
    ksl.embeddings.export_projector(
        os.path.join(args.out, "projector"), wv, metadata={"count": counts}
    )
    print(f"wrote vectors, vocabulary and projector files under {args.out}")

    words = [w for w in PLOT_WORDS if w in wv]
    points = pca_2d(np.stack([wv[w] for w in words]))
    with open(os.path.join(args.out, "pca.tsv"), "w", encoding="utf-8") as f:
        for w, (x, y) in zip(words, points, strict=True):
            f.write(f"{w}\t{x:.5f}\t{y:.5f}\n")
    try:
        plt = _common.pyplot()
    except SystemExit as missing:
        print(f"{missing} Without it: no pca.png; the points are in pca.tsv.")
        return
    fig, ax = plt.subplots(figsize=(7, 6))
    ax.scatter(points[:, 0], points[:, 1], s=12)
    for w, (x, y) in zip(words, points, strict=True):
        ax.annotate(w, (x, y), fontsize=9)
    ax.set_title("word2vec on the Wikipedia sample (PCA)")
    path = os.path.join(args.out, "pca.png")
    fig.savefig(path, dpi=120, bbox_inches="tight")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""GloVe on the bundled Wikipedia sample: counts, training, neighbours, export.

Counts word-word co-occurrences (window 10, 1/distance weights) on the
bundled corpus with `ksl.text.cooccurrence`, trains `ksl.models.GloVe` with
AdaGrad, prints nearest neighbours and analogies (with a note on how few of
them a corpus of 340,000 words supports), and writes the vectors in word2vec
text format (readable by gensim's `KeyedVectors.load_word2vec_format`).
About a minute on a 2-core CPU, offline.

    python examples/glove.py [--epochs 15] [--dim 50] [--out saved_models]
"""

import time
from pathlib import Path

import _common
import numpy as np

import keras_seqlayers as ksl
from keras_seqlayers.datasets import load_wikipedia_sample


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument("--epochs", type=int, default=15, help="training epochs")
    parser.add_argument("--dim", type=int, default=50, help="vector size")
    parser.add_argument(
        "--min-count",
        type=int,
        default=5,
        help="words seen fewer times are left out of the vocabulary",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="co-occurrence pairs per step (None: the model's default, 65536)",
    )
    parser.add_argument("--out", default="saved_models", help="folder for the vectors")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        "Counting word co-occurrences in the bundled Wikipedia sample and "
        f"training {args.dim}-d GloVe vectors for {args.epochs} epochs, then "
        "showing neighbours and analogies (about a minute with the defaults on "
        "a 2-core CPU).",
        flush=True,
    )

    paragraphs = load_wikipedia_sample(unit="paragraph")
    tokenizer = ksl.text.Tokenizer(lowercase=True, split="words")
    docs = tokenizer.tokenize_to_lists(paragraphs)
    vocab = ksl.text.Vocabulary.build(docs, min_count=args.min_count)
    ids = vocab.encode(docs)
    n_tokens = sum(len(d) for d in ids)
    print(f"{len(docs)} paragraphs, {n_tokens} tokens, vocabulary {len(vocab)}")

    start = time.perf_counter()
    # Each paragraph is a document; <PAD>/<UNK> are skipped, <EOS> ends one.
    X = ksl.text.cooccurrence(ids, len(vocab), window=10)
    seconds = time.perf_counter() - start
    print(f"co-occurrence: {X.nnz} non-zero pairs in {seconds:.2f} s")

    model = ksl.models.GloVe(len(vocab), args.dim)  # AdaGrad, lr 0.05
    history = model.fit(
        X, epochs=args.epochs, batch_size=args.batch_size, seed=0, verbose=2
    )
    losses = history.history["loss"]
    print(f"loss per epoch: {losses[0]:.1f} -> {losses[-1]:.1f}")

    # W + W~, the GloVe paper's choice; reserved tokens never co-occur.
    words = vocab.words[3:]
    wv = ksl.embeddings.WordVectors(words, model.glove.vectors("sum")[3:])
    for word in ("king", "war", "music", "river"):
        if word in wv:
            neighbours = ", ".join(w for w, _ in wv.most_similar(word, topn=6))
            print(f"nearest to {word!r}: {neighbours}")
    _common.print_analogies(wv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "glove_vectors.txt"
    wv.save_word2vec_format(str(path))
    again = ksl.embeddings.load_word2vec_format(str(path))
    assert np.allclose(again.vectors, wv.vectors, atol=1e-5)
    print(f"wrote {len(wv)} vectors of size {args.dim} to {path}")


if __name__ == "__main__":
    main()

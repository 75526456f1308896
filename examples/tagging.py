"""Many-to-many (equal lengths): restoring capitalisation, one tag per token.

The bundled Wikipedia sample is tokenized (words and punctuation), lower-cased
as input, and each token tagged with the case it had: `lower`, `Capitalised`
or `UPPER`. A word's usual case is a strong clue (a "paris" is nearly always
"Paris"), but the first word of a sentence, or "the" in a title, needs the
context on both sides: a deep bidirectional GRU tags every token from the
whole window (`ksl.layers.DeepRNN` of two `ksl.layers.Bidirectional` GRUs).

Windows are cut per paragraph and right-padded, so the last window of each
paragraph is shorter and masked. Prints token accuracy and the F1 score of
"needs a capital" on held-out articles, next to the baseline that gives each
word its most frequent case in the training articles, and exports the
tagger (SavedModel and `.keras`) under `saved_models/tagging`. A few minutes
on a 2-core CPU.

    python examples/tagging.py [--epochs 3] [--tokens 150000]
"""

import collections
import re
import time
from pathlib import Path

import _common
import keras
import numpy as np

import keras_seqlayers as ksl

TAGS = ("lower", "Capitalised", "UPPER")
TOKEN = re.compile(r"\w+|[^\w\s]")


def case_tag(token):
    if len(token) > 1 and token.isupper():
        return 2
    if token[:1].isupper():
        return 1
    return 0


def windows(split, max_tokens, length):
    """Token windows (original case) cut per paragraph, up to `max_tokens`."""
    out, total = [], 0
    for paragraph in ksl.datasets.load_wikipedia_sample(split, unit="paragraph"):
        tokens = TOKEN.findall(paragraph)
        for start in range(0, len(tokens), length):
            out.append(tokens[start : start + length])
            total += len(out[-1])
        if total >= max_tokens:
            break
    return out


def arrays(vocabulary, token_windows, length):
    ids = np.zeros((len(token_windows), length), "int32")
    tags = np.zeros((len(token_windows), length), "int32")
    for i, tokens in enumerate(token_windows):
        ids[i, : len(tokens)] = [vocabulary.token_to_id(t.lower()) for t in tokens]
        tags[i, : len(tokens)] = [case_tag(t) for t in tokens]
    return ids, tags


def build_model(vocabulary_size, dim, units):
    ids = keras.Input((None,), dtype="int32", name="token_ids")
    x = keras.layers.Embedding(vocabulary_size, dim, mask_zero=True)(ids)
    x = ksl.layers.DeepRNN(
        [
            ksl.layers.Bidirectional(ksl.layers.GRU(units)),
            ksl.layers.Bidirectional(ksl.layers.GRU(units)),
        ],
        return_sequences=True,
    )(x)
    probs = keras.layers.Dense(len(TAGS), activation="softmax", name="tags")(x)
    return keras.Model(ids, probs)


def scores(predicted, tags, real):
    accuracy = (predicted == tags)[real].mean()
    want, got = (tags > 0)[real], (predicted > 0)[real]
    true_positive = np.sum(want & got)
    f1 = 2 * true_positive / max(want.sum() + got.sum(), 1)
    return accuracy, f1


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument("--epochs", type=int, default=3, help="training epochs")
    parser.add_argument(
        "--tokens", type=int, default=150_000, help="training tokens (about)"
    )
    parser.add_argument("--length", type=int, default=40, help="tokens per window")
    parser.add_argument(
        "--vocabulary", type=int, default=10_000, help="largest vocabulary size"
    )
    parser.add_argument("--dim", type=int, default=64, help="embedding size")
    parser.add_argument(
        "--units", type=int, default=64, help="GRU units per direction and layer"
    )
    parser.add_argument(
        "--out", default="saved_models/tagging", help="folder for the exports"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        "Training a deep bidirectional GRU to restore the capitalisation of "
        f"lower-cased Wikipedia text ({args.tokens:,} tokens, {args.epochs} "
        "epochs), next to a most-frequent-case baseline (about 2 minutes with "
        "the defaults on a 2-core CPU).",
        flush=True,
    )
    keras.utils.set_random_seed(0)

    train_windows = windows("train", args.tokens, args.length)
    test_windows = windows("test", args.tokens // 5, args.length)
    counts = collections.Counter(t.lower() for w in train_windows for t in w)
    vocabulary = ksl.text.Vocabulary.from_counts(counts, max_size=args.vocabulary)
    x_train, y_train = arrays(vocabulary, train_windows, args.length)
    x_test, y_test = arrays(vocabulary, test_windows, args.length)
    real = x_test > 0
    print(
        f"{(x_train > 0).sum()} training tokens in {len(x_train)} windows, "
        f"{real.sum()} test tokens; vocabulary {len(vocabulary)}; tag shares "
        + ", ".join(
            f"{t} {np.mean(y_train[x_train > 0] == i):.3f}" for i, t in enumerate(TAGS)
        )
    )

    # Baseline: every word gets its most frequent case in the training set.
    by_word = collections.defaultdict(collections.Counter)
    for ids, tags in zip(x_train[x_train > 0], y_train[x_train > 0], strict=True):
        by_word[ids][tags] += 1
    usual = np.zeros(len(vocabulary), "int32")
    for word_id, tag_counts in by_word.items():
        usual[word_id] = tag_counts.most_common(1)[0][0]
    baseline = scores(usual[x_test], y_test, real)

    model = build_model(len(vocabulary), args.dim, args.units)
    model.compile(
        optimizer=keras.optimizers.Adam(0.003),
        loss="sparse_categorical_crossentropy",
        jit_compile=True,
    )
    start = time.time()
    model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=2)
    print(f"trained in {time.time() - start:.0f} s")
    predicted = model.predict(x_test, batch_size=256, verbose=0).argmax(-1)
    tagger = scores(predicted, y_test, real)

    print("held-out articles:    token accuracy   F1 of 'needs a capital'")
    print(f"  most frequent case:  {baseline[0]:.4f}           {baseline[1]:.4f}")
    print(f"  deep bi-GRU tagger:  {tagger[0]:.4f}           {tagger[1]:.4f}")

    sample = test_windows[0]
    shown = " ".join(
        t.capitalize() if p == 1 else t.upper() if p == 2 else t
        for t, p in zip(
            (t.lower() for t in sample), predicted[0][: len(sample)], strict=True
        )
    )
    print("restored:", shown)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / "model.keras")
    vocabulary.save(out / "vocabulary.txt")
    model.export(str(out / "saved_model"), verbose=False)
    print(f"exported {out / 'saved_model'} (and model.keras, vocabulary.txt)")


if __name__ == "__main__":
    main()

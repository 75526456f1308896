"""Draws the figures of the guide (docs/figures/) with the package itself.

Each figure trains or computes what it shows, briefly, on data that ships
with the package (the bundled Wikipedia sample, the generated date task),
except the debias figure, which reads the GoogleNews subset and the
Bolukbasi et al. word lists from `--data`:

- `gru_gates.png`: update and reset gates of a character-level GRU
  language model over one sentence (units x characters).
- `gradient_vs_distance.png`: `‖∂ŷ/∂x^<t>‖` against the distance from the
  last step for `SimpleRNN`, `GRU` and `LSTM`, at initialisation and after a
  short training run on a task that needs the first input.
- `embedding_projection.png`: PCA of word2vec vectors trained on the
  bundled corpus, labels pushed apart so that none overlap.
- `glove_weighting.png`: GloVe's weight `f(x)` and the loss of a short fit.
- `debias_projection.png`: profession words projected on the gender
  direction before and after hard debiasing, and equalize pairs.
- `seq2seq_attention.png`: Luong attention weights of `Seq2Seq` turning a
  human-written date into an ISO date.

All six take about 4 minutes on a shared 2-core CPU (the gradient
figure's three training runs and the Seq2Seq fit take most of it). Needs matplotlib
(`pip install "keras-seqlayers[bench]"`). From the repository root:

    python tools/make_figures.py --out docs/figures
    python tools/make_figures.py --only gru_gates glove_weighting
    python tools/make_figures.py --data /path/to/shared/data

`--data` defaults to `../shared/data` next to the repository; it must hold
`GoogleNews-vectors-negative300-bolukbasi.bin` and `gender-word-lists.json`.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit(
        "make_figures.py needs matplotlib: pip install 'keras-seqlayers[bench]' "
        "(or pip install matplotlib)."
    )

import keras
import numpy as np
import tensorflow as tf

import keras_seqlayers as ksl
from keras_seqlayers.datasets.dates import generate_dates

REPO = Path(__file__).resolve().parents[1]
DPI = 100


def save(figure, out, name):
    path = Path(out) / name
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    print(f"  wrote {path} ({path.stat().st_size / 1024:.0f} KB)")


def corpus_paragraphs():
    tokenizer = ksl.text.Tokenizer(lowercase=True, split="words")
    paragraphs = ksl.datasets.load_wikipedia_sample(unit="paragraph")
    return tokenizer.tokenize_to_lists(paragraphs)


# ----- GRU gates ---------------------------------------------------------------
ALPHABET = " abcdefghijklmnopqrstuvwxyz0123456789.,;:'()-"


def encode_characters(text):
    index = {c: i + 1 for i, c in enumerate(ALPHABET)}
    return np.array([index.get(c, len(ALPHABET) + 1) for c in text.lower()], "int32")


def gru_gates(out, args):
    """A character GRU language model, then its gates over one sentence."""
    keras.utils.set_random_seed(0)
    text = " ".join(" ".join(ksl.datasets.load_wikipedia_sample("train")).split())
    length, batches = 80, 1500
    ids = encode_characters(text)[: batches * 32 * (length + 1)]
    rows = ids[: len(ids) // (length + 1) * (length + 1)].reshape(-1, length + 1)
    vocab_size = len(ALPHABET) + 2
    tokens = keras.Input((None,), dtype="int32")
    embedding = keras.layers.Embedding(vocab_size, 24)
    gru = ksl.layers.GRU(16, return_sequences=True)
    model = keras.Model(tokens, keras.layers.Dense(vocab_size)(gru(embedding(tokens))))
    model.compile(
        keras.optimizers.Adam(0.005),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=True,
    )
    history = model.fit(rows[:, :-1], rows[:, 1:], batch_size=32, verbose=0)
    print(f"  GRU language model: loss {history.history['loss'][-1]:.2f} nats/char")

    sentence = "The river, the Ohio, is wide; the city was founded in 1850."
    gates = gru.gate_activations(embedding(encode_characters(sentence)[None]))
    update, reset = gates["update"][0].T, gates["reset"][0].T
    order = np.argsort(-update.std(axis=1))
    figure, axes = plt.subplots(2, 1, figsize=(10, 5.2), sharex=True)
    panels = (
        (axes[0], update, r"update gate $\Gamma_u$ (1: take the new candidate)"),
        (axes[1], reset, r"reset gate $\Gamma_r$ (1: the candidate sees all of $c$)"),
    )
    for axis, values, title in panels:
        image = axis.imshow(
            values[order], aspect="auto", cmap="viridis", vmin=0, vmax=1
        )
        axis.set_title(title, fontsize=11)
        axis.set_ylabel("unit")
        axis.set_yticks([])
        figure.colorbar(image, ax=axis, fraction=0.02, pad=0.01)
    axes[1].set_xticks(range(len(sentence)))
    axes[1].set_xticklabels(["␣" if c == " " else c for c in sentence], fontsize=8)
    axes[1].set_xlabel("input character $x^{<t>}$")
    figure.suptitle("GRU gates of a character language model over one sentence")
    figure.tight_layout()
    save(figure, out, "gru_gates.png")


# ----- gradients against distance ----------------------------------------------
EPOCHS = 14


def gradient_norms(model, x):
    """Batch mean of `‖∂ŷ/∂x_t‖` for every step t (rows are independent)."""
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(model(x))
    return tf.reduce_mean(tf.norm(tape.gradient(total, x), axis=-1), axis=0).numpy()


def gradient_vs_distance(out, args):
    """‖∂ŷ/∂x^<t>‖ for the three recurrent layers, before and after training."""
    keras.utils.set_random_seed(0)
    steps, features, units = 30, 4, 32
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4500, steps, features)).astype("float32")
    y = (x[:, 0, 0] > 0).astype("float32")  # only the first step matters
    probe = x[:256]
    distance = np.arange(steps)[::-1]
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    layers = (
        ("SimpleRNN", ksl.layers.SimpleRNN, "tab:red"),
        ("GRU", ksl.layers.GRU, "tab:blue"),
        ("LSTM", ksl.layers.LSTM, "tab:green"),
    )
    for name, layer_class, color in layers:
        inputs = keras.Input((steps, features))
        model = keras.Model(inputs, keras.layers.Dense(1)(layer_class(units)(inputs)))
        before = gradient_norms(model, probe)
        axes[0].semilogy(distance, before, color=color, label=name)
        model.compile(
            keras.optimizers.Adam(0.003, clipnorm=1.0),
            keras.losses.BinaryCrossentropy(from_logits=True),
            metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)],
            jit_compile=True,
        )
        model.fit(x[:-500], y[:-500], batch_size=64, epochs=EPOCHS, verbose=0)
        accuracy = model.evaluate(x[-500:], y[-500:], verbose=0)[1]
        label = f"{name} (accuracy {accuracy:.2f})"
        after = gradient_norms(model, probe)
        axes[1].semilogy(distance, after, color=color, label=label)
        print(f"  {name}: accuracy {accuracy:.2f} on the first-input task")
    for axis, title in (
        (axes[0], "at initialisation"),
        (axes[1], f"after {EPOCHS} epochs"),
    ):
        axis.set_title(title)
        axis.set_xlabel("distance $T - t$ from the last step")
        axis.invert_xaxis()
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=9)
    axes[0].set_ylabel(r"$\|\partial \hat y / \partial x^{<t>}\|$ (log scale)")
    figure.suptitle(
        f"Gradient of the last output w.r.t. each input step (T = {steps}, "
        "task: the sign of $x^{<1>}$)"
    )
    figure.tight_layout()
    save(figure, out, "gradient_vs_distance.png")


# ----- word2vec projection -----------------------------------------------------
PROJECTION_WORDS = {
    "numbers": ["two", "three", "four", "five", "six", "seven"],
    "months": ["january", "march", "april", "june", "july", "october"],
    "countries": ["france", "germany", "italy", "spain", "china", "japan"],
    "family": ["father", "mother", "son", "daughter", "wife", "brother"],
    "science": ["physics", "chemistry", "mathematics", "biology", "theory"],
}


def repel_labels(figure, axis, texts, iterations=200):
    """Moves overlapping text labels apart, in display coordinates."""
    renderer = figure.canvas.get_renderer()
    to_data = axis.transData.inverted()
    for _ in range(iterations):
        boxes = [t.get_window_extent(renderer).expanded(1.08, 1.25) for t in texts]
        moved = False
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if not boxes[i].overlaps(boxes[j]):
                    continue
                moved = True
                dy = 1.5 if boxes[i].y0 >= boxes[j].y0 else -1.5
                for text, sign in ((texts[i], 1), (texts[j], -1)):
                    x, y = axis.transData.transform(text.get_position())
                    text.set_position(to_data.transform((x, y + sign * dy)))
        if not moved:
            return


def embedding_projection(out, args):
    """Word2Vec on the bundled corpus, then PCA of a few groups of words."""
    keras.utils.set_random_seed(0)
    corpus = corpus_paragraphs()
    model = ksl.models.Word2Vec.from_corpus(
        corpus, min_count=5, embedding_dim=50, seed=0
    )
    model.fit(corpus, epochs=4, verbose=0, seed=0)
    vectors = model.vectors
    groups = {
        group: [w for w in words if w in vectors]
        for group, words in PROJECTION_WORDS.items()
    }
    words = [w for group in groups.values() for w in group]
    matrix = np.stack([vectors[w] / np.linalg.norm(vectors[w]) for w in words])
    centred = matrix - matrix.mean(axis=0)
    points = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
    figure, axis = plt.subplots(figsize=(7.5, 6))
    texts = []
    start = 0
    for group, members in groups.items():
        block = points[start : start + len(members)]
        start += len(members)
        axis.scatter(block[:, 0], block[:, 1], s=18, label=group)
        for word, (px, py) in zip(members, block, strict=True):
            texts.append(axis.text(px, py, word, fontsize=9, ha="center", va="bottom"))
    margin = 0.15 * np.ptp(points, axis=0)
    axis.set_xlim(points[:, 0].min() - margin[0], points[:, 0].max() + margin[0])
    axis.set_ylim(points[:, 1].min() - margin[1], points[:, 1].max() + margin[1])
    repel_labels(figure, axis, texts)
    for text, (px, py) in zip(texts, points, strict=True):
        tx, ty = text.get_position()
        axis.plot([px, tx], [py, ty], color="0.6", lw=0.5, zorder=0)
    axis.legend(fontsize=9, loc="best")
    axis.set_xlabel("first principal component")
    axis.set_ylabel("second principal component")
    axis.set_title("word2vec (skip-gram, negative sampling) on the bundled corpus")
    figure.tight_layout()
    save(figure, out, "embedding_projection.png")


# ----- GloVe -------------------------------------------------------------------
def glove_weighting(out, args):
    """GloVe's f(x) (from GloVeLoss) and the loss of a short fit."""
    keras.utils.set_random_seed(0)
    counts = np.linspace(0, 200, 801)
    weights, _ = ksl.losses.GloVeLoss(x_max=100, alpha=0.75).weights_and_targets(counts)
    corpus = corpus_paragraphs()
    vocabulary = ksl.text.Vocabulary.build(corpus, min_count=5)
    X = ksl.text.cooccurrence(vocabulary.encode(corpus), len(vocabulary), verbose=0)
    model = ksl.models.GloVe(len(vocabulary), 50)
    epochs = 15
    losses = model.fit(X, epochs=epochs, seed=0, verbose=0).history["loss"]
    print(f"  GloVe: {X.nnz:,} pairs, loss {losses[0]:.0f} -> {losses[-1]:.0f}")
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(counts, np.asarray(weights), lw=2)
    left.axvline(100, color="0.6", ls="--", lw=1)
    left.annotate("$x_{max} = 100$", (100, 0.3), xytext=(110, 0.3), fontsize=9)
    left.set_xlabel("co-occurrence count $X_{ij}$")
    left.set_ylabel("$f(X_{ij})$")
    left.set_title(r"$f(x) = \min(1, (x/x_{max})^{\alpha})$, $\alpha = 0.75$, $f(0)=0$")
    left.grid(True, alpha=0.3)
    right.plot(range(1, epochs + 1), losses, marker="o", ms=4)
    right.set_xlabel("epoch")
    right.set_ylabel("training loss (weighted squares, per batch)")
    right.set_title(
        f"ksl.models.GloVe: {len(vocabulary):,} words, {X.nnz / 1e6:.1f}M pairs"
    )
    right.grid(True, alpha=0.3)
    figure.tight_layout()
    save(figure, out, "glove_weighting.png")


# ----- debiasing ---------------------------------------------------------------
def debias_projection(out, args):
    """Professions on the gender axis of GoogleNews vectors, before and after."""
    data = Path(args.data)
    vectors_path = data / "GoogleNews-vectors-negative300-bolukbasi.bin"
    lists_path = data / "gender-word-lists.json"
    for path in (vectors_path, lists_path):
        if not path.exists():
            raise FileNotFoundError(
                f"debias_projection needs {path.name} in --data (received "
                f"{data}); see the module docstring."
            )
    vectors = ksl.embeddings.load_word2vec_format(str(vectors_path))
    lists = json.loads(lists_path.read_text(encoding="utf-8"))
    words = list(vectors.words)
    definitional = [tuple(p) for p in lists["definitional_pairs"]]
    g = ksl.embeddings.bias_direction(vectors.vectors, words, definitional).direction
    debiased = ksl.embeddings.debias_embeddings(
        vectors.vectors,
        words,
        definitional,
        [tuple(p) for p in lists["equalize_pairs"]],
        lists["specific_full"],
        on_missing="skip",
    )
    row = {w: i for i, w in enumerate(words)}
    specific = set(lists["specific_full"])
    professions = [
        p for p, *_ in lists["professions"] if p in row and p not in specific
    ]
    before = {p: float(vectors.vectors[row[p]] @ g) for p in professions}
    shown = sorted(professions, key=before.get)
    shown = shown[:10] + shown[-10:]
    pairs = [("grandmother", "grandfather"), ("girl", "boy"), ("queen", "king")]
    pairs = [p for p in pairs if all(w in row for w in p)]
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(10, 6), gridspec_kw={"width_ratios": [2, 1]}
    )
    y = np.arange(len(shown))
    left.scatter([before[p] for p in shown], y, color="tab:orange", label="before")
    after = [float(debiased[row[p]] @ g) for p in shown]
    left.scatter(after, y, color="tab:blue", marker="x", label="after (neutralized)")
    left.set_yticks(y, [p.replace("_", " ") for p in shown], fontsize=9)
    left.axvline(0, color="0.5", lw=0.8)
    left.set_xlabel("projection on the gender direction $g$ (+: she side)")
    left.set_title("professions: the 10 most he- and she-leaning")
    left.legend(fontsize=9, loc="lower right")
    for k, (a, b) in enumerate(pairs):
        for vectors_set, offset, color, label in (
            (vectors.vectors, 0.15, "tab:orange", "before"),
            (debiased, -0.15, "tab:blue", "after (equalized)"),
        ):
            xs = [float(vectors_set[row[w]] @ g) for w in (a, b)]
            right.plot(xs, [k + offset] * 2, color=color, marker="o", label=label)
            for word, px in zip((a, b), xs, strict=True):
                right.text(px, k + offset + 0.07, word, ha="center", fontsize=8)
    handles, labels = right.get_legend_handles_labels()
    right.legend(handles[:2], labels[:2], fontsize=9, loc="lower right")
    right.axvline(0, color="0.5", lw=0.8)
    right.set_yticks([])
    right.set_ylim(-0.9, len(pairs) - 0.4)
    right.set_xlabel("projection on $g$")
    right.set_title("equalize pairs: symmetric after")
    figure.suptitle("Hard debiasing of GoogleNews vectors (Bolukbasi et al. 2016)")
    figure.tight_layout()
    save(figure, out, "debias_projection.png")


# ----- Seq2Seq attention -------------------------------------------------------
def attention_weights(model, source, target):
    """Teacher-forced attention weights `(T_y, T_x)` of one pair."""
    (source_ids, decoder_ids), _ = model.training_data([(source, target)])
    mask = source_ids != 0
    x = model.source_embedding(source_ids)
    states = []
    for rnn in model.encoder_layers:
        x, *state = rnn(x, mask=mask)
        states.append(state)
    y = model.target_embedding(decoder_ids)
    for rnn, state in zip(model.decoder_layers, states, strict=True):
        y = rnn(y, initial_state=state)[0]
    _, weights = model.attention_layer([y, x, mask], return_weights=True)
    return np.asarray(weights)[0]


def seq2seq_attention(out, args):
    """A character Seq2Seq with Luong attention on dates, then one matrix."""
    keras.utils.set_random_seed(0)
    train = generate_dates(6000, seed=0)
    model = ksl.models.Seq2Seq.from_pairs(
        train, units=64, embedding_dim=32, lowercase=True, max_output_length=12
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=1.0))
    x, y = model.training_data(train)
    model.fit(x, y, batch_size=64, epochs=6, verbose=0)
    held_out = generate_dates(300, seed=1)
    print(f"  Seq2Seq: held-out exact match {model.exact_match(held_out):.0%}")
    # The first long held-out date the model gets right: a wrong answer
    # would show where it looked for the wrong output.
    candidates = [pair for pair in held_out if len(pair[0]) >= 20]
    outputs = model.translate([source for source, _ in candidates])
    source, target = next(
        pair
        for pair, output in zip(candidates, outputs, strict=True)
        if output == pair[1]
    )
    weights = attention_weights(model, source, target)
    figure, axis = plt.subplots(figsize=(9, 4))
    image = axis.imshow(weights, cmap="Greys", vmin=0, vmax=1, aspect="auto")
    axis.set_xticks(range(len(source)), ["␣" if c == " " else c for c in source])
    axis.set_yticks(range(len(target) + 1), [*target, "<EOS>"])
    axis.set_xlabel("source character $x^{<t'>}$")
    axis.set_ylabel("output $y^{<t>}$")
    axis.set_title(
        f"Luong attention weights $\\alpha^{{<t,t'>}}$: {source} -> {target}"
    )
    figure.colorbar(image, ax=axis, fraction=0.03, pad=0.01)
    figure.tight_layout()
    save(figure, out, "seq2seq_attention.png")


FIGURES = {
    "gru_gates": gru_gates,
    "gradient_vs_distance": gradient_vs_distance,
    "embedding_projection": embedding_projection,
    "glove_weighting": glove_weighting,
    "debias_projection": debias_projection,
    "seq2seq_attention": seq2seq_attention,
}


def main():
    parser = argparse.ArgumentParser(
        description="Draws the guide's figures.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--out", default=str(REPO / "docs" / "figures"))
    parser.add_argument(
        "--data",
        default=str(REPO.parent / "shared" / "data"),
        help="folder with the GoogleNews subset and the word lists (debias only)",
    )
    parser.add_argument("--only", nargs="+", choices=sorted(FIGURES), default=None)
    args = parser.parse_args()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for name in args.only or FIGURES:
        began = time.perf_counter()
        print(f"{name}:")
        FIGURES[name](args.out, args)
        print(f"  {time.perf_counter() - began:.0f} s")
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

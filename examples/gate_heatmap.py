"""Looking inside a GRU: update and reset gates over a sentence, as heatmaps.

Trains a small character-level language model (`Embedding -> ksl.layers.GRU
-> Dense`, next-character prediction) on the bundled Wikipedia sample for
about a minute, then reads the gates of every unit at every character of a
held-out sentence with `GRU.gate_activations` and draws them:

- update gate Γu (how much of the new candidate enters the memory cell:
  near 1 the unit rewrites itself, near 0 it keeps what it had);
- reset gate Γr (how much of the old cell the candidate may look at).

Units are sorted by how much their update gate varies along the sentence, so
units that react to word boundaries or punctuation end up on top. Needs
matplotlib: `pip install "keras-seqlayers[plots]"` (`pip install ".[plots]"`
in a clone). Writes
`saved_models/gate_heatmap.png` and exports the model to
`saved_models/gate_heatmap`.

    python examples/gate_heatmap.py [--steps 600] [--out saved_models]
"""

from pathlib import Path

import _common
import keras
import numpy as np

import keras_seqlayers as ksl

ALPHABET = " abcdefghijklmnopqrstuvwxyz0123456789.,;:'()-"
UNKNOWN = len(ALPHABET) + 1  # ids start at 1; 0 is left for padding


def encode(text):
    index = {c: i + 1 for i, c in enumerate(ALPHABET)}
    return np.array([index.get(c, UNKNOWN) for c in text.lower()], "int32")


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument(
        "--steps", type=int, default=600, help="training steps (batches of 32)"
    )
    parser.add_argument("--units", type=int, default=32, help="GRU units")
    parser.add_argument(
        "--length", type=int, default=100, help="characters per training row"
    )
    parser.add_argument(
        "--out", default="saved_models", help="folder for the figure and export"
    )
    parser.add_argument(
        "--sentence",
        default="The city was founded in 1850, and its river, the Ohio, is wide.",
        help="the sentence whose gates are drawn",
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    plt = _common.pyplot()
    print(
        f"Training a character-level GRU language model for {args.steps} steps "
        "on the bundled Wikipedia sample, then drawing its update and reset "
        "gates over one sentence (about a minute with the defaults on a 2-core "
        "CPU).",
        flush=True,
    )
    keras.utils.set_random_seed(0)

    text = " ".join(ksl.datasets.load_wikipedia_sample("train"))
    ids = encode(" ".join(text.split()))[: args.steps * 32 * args.length + 1]
    windows = len(ids) // (args.length + 1)
    data = ids[: windows * (args.length + 1)].reshape(windows, args.length + 1)
    x, y = data[:, :-1], data[:, 1:]

    vocabulary_size = UNKNOWN + 1
    tokens = keras.Input((None,), dtype="int32", name="characters")
    embedding = keras.layers.Embedding(vocabulary_size, 24, name="embedding")
    gru = ksl.layers.GRU(args.units, return_sequences=True, name="gru")
    logits = keras.layers.Dense(vocabulary_size, name="logits")(gru(embedding(tokens)))
    model = keras.Model(tokens, logits)
    model.compile(
        optimizer=keras.optimizers.Adam(0.005),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=True,
    )
    history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    loss = history.history["loss"][-1]
    print(f"trained on {x.size} characters: loss {loss:.3f} nats/char")

    sentence = args.sentence
    embedded = embedding(encode(sentence)[None])
    gates = gru.gate_activations(embedded)
    update, reset = gates["update"][0].T, gates["reset"][0].T  # (units, time)
    order = np.argsort(-update.std(axis=1))

    figure, axes = plt.subplots(
        2, 1, figsize=(max(8, 0.19 * len(sentence)), 7.5), sharex=True
    )
    for axis, values, name in (
        (axes[0], update, "update gate Γu (1 = take the new candidate)"),
        (axes[1], reset, "reset gate Γr (1 = candidate sees the whole old cell)"),
    ):
        image = axis.imshow(
            values[order], aspect="auto", cmap="viridis", vmin=0, vmax=1
        )
        axis.set_title(name, fontsize=11)
        axis.set_ylabel("unit (sorted)")
        figure.colorbar(image, ax=axis, fraction=0.025, pad=0.01)
    axes[1].set_xticks(range(len(sentence)))
    axes[1].set_xticklabels(["␣" if c == " " else c for c in sentence], fontsize=9)
    axes[1].set_xlabel("input character")
    figure.suptitle("GRU gates of a character language model, over one sentence")
    figure.tight_layout()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    figure.savefig(out / "gate_heatmap.png", dpi=110)
    print(f"wrote {out / 'gate_heatmap.png'}")
    print(
        "mean update gate at spaces vs letters: "
        f"{update[:, [c == ' ' for c in sentence]].mean():.3f} vs "
        f"{update[:, [c.isalpha() for c in sentence]].mean():.3f}"
    )
    model.export(str(out / "gate_heatmap"), verbose=False)
    print(f"exported {out / 'gate_heatmap'}")


if __name__ == "__main__":
    main()

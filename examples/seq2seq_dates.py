"""Many-to-many with an encoder-decoder: human-written dates to ISO 8601.

Trains `ksl.models.Seq2Seq` (character level, GRU encoder and decoder with
Luong attention, teacher forcing) on dates from
`ksl.datasets.dates.generate_dates` ("the 25th of November 2026",
"11/25/26", "wednesday november 25 2026", ... -> "2026-11-25"), prints the
exact-match accuracy on held-out dates (inputs never seen in training) and
exits with an error below 95%. Saves the model as `.keras` and exports a
SavedModel with two endpoints, `serve` (teacher-forced logits) and
`generate` (greedy decoding of int32 source ids). 2 to 3 minutes on a 2-core
CPU, offline.

    python examples/seq2seq_dates.py [--train 10000] [--epochs 6]
        [--out saved_models]
"""

import time
from pathlib import Path

import _common
import keras
import numpy as np
import tensorflow as tf

import keras_seqlayers as ksl
from keras_seqlayers.datasets.dates import generate_dates

TARGET_ACCURACY = 0.95


def build_parser():
    parser = _common.parser(__doc__)
    parser.add_argument(
        "--train", type=int, default=10_000, help="generated training pairs"
    )
    parser.add_argument(
        "--test", type=int, default=2_000, help="generated held-out pairs"
    )
    parser.add_argument("--epochs", type=int, default=6, help="training epochs")
    parser.add_argument(
        "--units", type=int, default=64, help="GRU units (encoder and decoder)"
    )
    parser.add_argument(
        "--out", default="saved_models", help="folder for the saved models"
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    print(
        f"Training a GRU encoder-decoder with attention on {args.train:,} "
        f"generated dates for {args.epochs} epochs, then translating held-out "
        "dates to ISO 8601 (2 to 3 minutes with the defaults on a 2-core CPU).",
        flush=True,
    )
    keras.utils.set_random_seed(0)

    train = generate_dates(args.train, seed=0)
    seen = {source for source, _ in train}
    held_out = [p for p in generate_dates(args.test, seed=1) if p[0] not in seen]
    print(f"{len(train):,} training pairs, {len(held_out):,} held-out pairs")

    model = ksl.models.Seq2Seq.from_pairs(
        train,
        units=args.units,
        embedding_dim=32,
        attention="luong",
        lowercase=True,
        max_output_length=12,
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-3, clipnorm=model.clipnorm))
    x, y = model.training_data(train)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        history = model.fit(x, y, batch_size=64, epochs=1, verbose=0)
        accuracy = model.exact_match(held_out)
        print(
            f"epoch {epoch}: loss {history.history['loss'][-1]:.4f}, "
            f"held-out exact match {accuracy:.2%}"
        )
    print(f"trained in {time.perf_counter() - start:.0f}s")

    accuracy = model.exact_match(held_out)
    beam_accuracy = model.exact_match(held_out[:100], beam_width=3)
    print(f"held-out exact match (greedy): {accuracy:.2%} of {len(held_out)}")
    print(f"held-out exact match (beam 3, first 100): {beam_accuracy:.2%}")
    examples = [
        "the 25th of November 2026",
        "11/25/26",
        "Nov 25, 2026",
        "25.11.2026",
        "wednesday november 25 2026",
        *[source for source, _ in held_out[:5]],
    ]
    for source, output in zip(examples, model.translate(examples), strict=True):
        print(f"  {source!r:32} -> {output}")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    keras_path = out / "seq2seq_dates.keras"
    export_path = out / "seq2seq_dates"
    model.save(keras_path)
    archive = keras.export.ExportArchive()
    archive.track(model)
    integer_ids = tf.TensorSpec((None, None), tf.int32)
    archive.add_endpoint(
        "serve", model.call, input_signature=[[integer_ids, integer_ids]]
    )
    archive.add_endpoint(
        "generate", lambda source: model.generate(source), input_signature=[integer_ids]
    )
    archive.write_out(str(export_path), verbose=False)
    print(f"saved {keras_path} and the SavedModel {export_path}/ (serve, generate)")

    reloaded = keras.saving.load_model(keras_path, safe_mode=True)
    served = tf.saved_model.load(str(export_path))
    source_ids = model.encode_sources([s for s, _ in held_out[:50]])
    expected = np.asarray(model.generate(source_ids))
    if not np.array_equal(np.asarray(served.generate(source_ids)), expected):
        raise SystemExit("the SavedModel's generate endpoint disagrees")
    if reloaded.translate(examples) != model.translate(examples):
        raise SystemExit("the reloaded .keras model disagrees")
    if accuracy < TARGET_ACCURACY:
        raise SystemExit(
            f"held-out exact match {accuracy:.2%} is below {TARGET_ACCURACY:.0%}"
        )


if __name__ == "__main__":
    main()

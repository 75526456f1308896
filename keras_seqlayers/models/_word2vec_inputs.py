"""What `Word2Vec` checks of its inputs: ids, and the training options."""

import collections

from keras_seqlayers.checks import (
    check_bool,
    check_nonnegative_int,
    check_number,
    check_positive_int,
    check_seed,
)
from keras_seqlayers.layers.embedding.ids import int32_ids
from keras_seqlayers.tokens import NUM_RESERVED

BAD_ID = "Word2Vec got the id "


def id_error(value, vocab_size):
    low, high = NUM_RESERVED, NUM_RESERVED + vocab_size
    return (
        f"{BAD_ID}{value} in its inputs; ids must be whole numbers in "
        f"[{low}, {high}), the {vocab_size} words of its vocabulary (ids below "
        f"{low} are reserved and have no vectors)."
    )


def refuse_id(value, vocab_size):
    """Raises `ValueError` naming `value`, an id outside the vocabulary."""
    raise ValueError(id_error(value, vocab_size))


def table_rows(inputs):
    """Vocabulary ids -> rows of the tables, as `[center, context]`.

    Reserved ids become negative and give an error or NaN, never a silent
    vector.
    """
    center, context = inputs
    return [
        int32_ids(center) - NUM_RESERVED,
        int32_ids(context) - NUM_RESERVED,
    ]


CorpusOptions = collections.namedtuple(
    "CorpusOptions",
    [
        "window",
        "sample",
        "shrink_windows",
        "batch_size",
        "learning_rate",
        "min_learning_rate",
        "steps_per_execution",
        "progress_every",
        "seed",
    ],
)


# Training options: constructor arguments kept on the model, which `fit`
# also takes for one call.
TRAINING_OPTIONS = (
    "window",
    "sample",
    "shrink_windows",
    "learning_rate",
    "min_learning_rate",
)


def training_options(window, sample, shrink_windows, learning_rate, min_learning_rate):
    """The training options, checked, as a dict."""
    learning_rate = check_number("learning_rate", learning_rate, inclusive=False)
    min_learning_rate = check_number("min_learning_rate", min_learning_rate)
    if min_learning_rate > learning_rate:
        raise ValueError(
            "`min_learning_rate` must be at most `learning_rate` "
            f"({learning_rate}), the rate decays to it; received "
            f"min_learning_rate={min_learning_rate}."
        )
    return {
        "window": check_positive_int("window", window),
        "sample": check_number("sample", sample),
        "shrink_windows": check_bool("shrink_windows", shrink_windows),
        "learning_rate": learning_rate,
        "min_learning_rate": min_learning_rate,
    }


def corpus_options(
    model,
    window,
    sample,
    shrink_windows,
    batch_size,
    learning_rate,
    min_learning_rate,
    steps_per_execution,
    progress_every,
    seed,
):
    """`fit`'s corpus arguments, checked; `None` takes the model's or the default."""

    def default(value, fallback):
        return fallback if value is None else value

    given = {
        "window": window,
        "sample": sample,
        "shrink_windows": shrink_windows,
        "learning_rate": learning_rate,
        "min_learning_rate": min_learning_rate,
    }
    training = training_options(
        **{name: default(value, getattr(model, name)) for name, value in given.items()}
    )
    return CorpusOptions(
        **training,
        batch_size=(
            None if batch_size is None else check_positive_int("batch_size", batch_size)
        ),
        steps_per_execution=check_positive_int(
            "steps_per_execution", default(steps_per_execution, 32)
        ),
        progress_every=check_nonnegative_int(
            "progress_every", default(progress_every, 0)
        ),
        seed=check_seed(seed),
    )

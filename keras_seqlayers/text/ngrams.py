"""Fixed-window (n-gram) training examples for neural language models."""

import numpy as np

from keras_seqlayers.checks import check_positive_int


def ngram_windows(sequences, context_size, pad_id=0, add_eos_id=None):
    """Every `(previous context_size ids, next id)` example of the sequences.

    The first words of a sequence get a context left-padded with `pad_id`,
    so every token is predicted once.

    Args:
        sequences: list of lists of ints (e.g. `Vocabulary.encode(...)`).
        context_size: number of previous words (int >= 1).
        pad_id: id used left of the sequence start.
        add_eos_id: if not `None`, append this id to every sequence so the
            end is predicted too.

    Returns:
        `(contexts, targets)`: int32 arrays of shapes `(N, context_size)` and
        `(N,)`.

    Example:

    >>> x, y = ngram_windows([[5, 6, 7]], context_size=2)
    >>> x.tolist(), y.tolist()
    ([[0, 0], [0, 5], [5, 6]], [5, 6, 7])
    """
    context_size = check_positive_int("context_size", context_size)
    contexts, targets = [], []
    for seq in sequences:
        seq = list(seq) + ([add_eos_id] if add_eos_id is not None else [])
        if not seq:
            continue
        padded = np.asarray([pad_id] * context_size + seq, dtype=np.int32)
        idx = np.arange(len(seq))[:, None] + np.arange(context_size)[None, :]
        contexts.append(padded[idx])
        targets.append(padded[context_size:])
    if not targets:
        raise ValueError("The corpus is empty: no sequence has a token.")
    return np.concatenate(contexts), np.concatenate(targets)

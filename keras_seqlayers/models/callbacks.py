"""Callbacks for training word-vector models."""

import time

import keras

from keras_seqlayers.checks import check_nonnegative_int, check_number


class WordsPerSecond(keras.callbacks.Callback):
    """Logs `words_per_sec` (corpus tokens per second of training).

    Each epoch's entry is `words_per_step` times the steps run, over the
    epoch's wall time. `Word2Vec.fit` on a corpus adds one itself.

    Args:
        words_per_step: corpus tokens one training step stands for (> 0).
        every: also print a line every this many steps (int >= 0; 0: only
            the per-epoch entry).

    Raises:
        TypeError: `words_per_step` is not a number or `every` not an
            integer.
        ValueError: `words_per_step` is NaN, infinite or <= 0, or `every < 0`.

    Example:

    >>> import keras
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> history = model.fit(
    ...     np.ones((8, 2)), np.ones((8, 1)), batch_size=4, verbose=0,
    ...     callbacks=[WordsPerSecond(words_per_step=1000)],
    ... )
    >>> history.history["words_per_sec"][0] > 0
    True
    """

    def __init__(self, words_per_step, every=0):
        super().__init__()
        self.words_per_step = check_number(
            "words_per_step", words_per_step, inclusive=False
        )
        self.every = check_nonnegative_int("every", every)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._steps = 0

    def on_train_batch_end(self, batch, logs=None):
        self._steps = batch + 1
        if self.every and self._steps % self.every == 0:
            rate = self._rate()
            print(f"  step {self._steps}: {rate:,.0f} words/sec", flush=True)

    def _rate(self):
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        return self._steps * self.words_per_step / elapsed

    def on_epoch_end(self, epoch, logs=None):
        # Compiled steps may still be running when Keras reaches the end of
        # an epoch; reading a variable the steps update waits for them, so
        # the rate counts the work actually done in the epoch.
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            optimizer.iterations.numpy()
        if logs is not None:
            logs["words_per_sec"] = self._rate()

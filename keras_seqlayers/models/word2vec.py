"""Word2Vec (skip-gram) as a Keras model that trains on a corpus with `fit`."""

import inspect
import math
import time

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_nonnegative_int,
    check_number,
    check_positive_int,
    check_seed,
)
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.layers.embedding._counts import check_counts
from keras_seqlayers.layers.embedding._ids import int32_ids
from keras_seqlayers.layers.embedding.hierarchical_softmax import HierarchicalSoftmax
from keras_seqlayers.layers.embedding.negative_sampling import NegativeSampling
from keras_seqlayers.models._common import is_plain, track_loss, updates_in_place
from keras_seqlayers.registration import register
from keras_seqlayers.text.tokenization import Tokenizer, check_tokenizer
from keras_seqlayers.text.vocabulary import check_words
from keras_seqlayers.tokens import (
    DEFAULT_BOUNDARY_IDS,
    DEFAULT_DROP_IDS,
    NUM_RESERVED,
)

LOSSES = ("negative_sampling", "hierarchical_softmax")


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
            keras.ops.convert_to_numpy(optimizer.iterations)
        if logs is not None:
            logs["words_per_sec"] = self._rate()


@register
class Word2Vec(keras.Model):
    """Skip-gram word2vec: negative sampling (default) or hierarchical softmax.

    The model's inputs are `(center, context)` pairs of vocabulary ids (a
    `keras_seqlayers.text.Vocabulary` numbering: ids 0-2 are reserved and
    have no vectors) and its output is the per-pair loss; training minimises
    the sum of the per-pair losses of a batch, so with plain SGD every pair
    gets word2vec's step size. `fit` also accepts a corpus directly: it
    builds the skip-gram pipeline (subsampling, shrinking windows), and,
    unless the model was compiled, uses SGD with word2vec's learning rate
    decaying linearly from `learning_rate` to `min_learning_rate` over all
    steps, compiled with XLA. With negative sampling, a training step is
    `NegativeSampling.sgd_update` (the closed-form gradient applied in place,
    1024 pairs at a time, one slice after another) when the model runs under
    XLA on the TensorFlow backend with one replica and its optimizer is a
    plain `keras.optimizers.SGD` (that default, or one without momentum,
    weight decay, clipping, EMA, loss scaling or gradient accumulation), and
    no targets are given. Otherwise it is Keras's step: one update for the
    whole batch, whose gradients of the gathered rows are sparse. So a model
    you compile with SGD and `jit_compile="auto"` updates in slices where
    Keras picks XLA (GPU) and per batch where it does not (CPU); batches of
    at most 1024 pairs train the same either way. Each step updates only
    the rows it touched.

    Args:
        words: the vocabulary's words in id order, reserved tokens excluded
            (`vocabulary.words[3:]`): distinct non-empty strings without
            whitespace, as `keras_seqlayers.text.Vocabulary` and the
            word2vec text format require.
        counts: their corpus counts (whole numbers > 0).
        embedding_dim: vector size (int >= 1).
        loss: `"negative_sampling"` or `"hierarchical_softmax"`.
        num_negatives: noise words per pair (negative sampling).
        power: noise distribution exponent (negative sampling).
        seed: int seed of initialisation and noise, or `None`.
        tokenizer: the `keras_seqlayers.text.Tokenizer` that splits the
            documents of a corpus (in `fit` and `vocabulary`), or `None` for
            `Tokenizer()`. `get_config` keeps its settings, so it survives
            `from_config` and `.keras` files.

    Raises:
        TypeError: a word is not a `str` (or `words` is a single string), an
            integer argument is not an integer, `counts` are not numbers, or
            `tokenizer` is not a `Tokenizer`.
        ValueError: a word is empty, holds whitespace, is a reserved token or
            is repeated; `counts` is not one whole count > 0 per word; or
            `embedding_dim`, `loss` or `num_negatives` is out of range.

    Call arguments:
        inputs: a tuple `(center, context)` of integer id tensors of shape
            `(batch,)`.
        training: whether noise words are drawn afresh.

    Returns:
        The per-pair loss, shape `(batch,)`.

    Example:

    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 50
    >>> model = Word2Vec.from_corpus(corpus, embedding_dim=8, min_count=1)
    >>> history = model.fit(corpus, epochs=1, batch_size=64, verbose=0)
    >>> model.vectors["cat"].shape
    (8,)

    Reference:
        Mikolov et al., 2013, "Distributed Representations of Words and
        Phrases and their Compositionality".
    """

    def __init__(
        self,
        words,
        counts,
        embedding_dim=100,
        loss="negative_sampling",
        num_negatives=5,
        power=0.75,
        seed=None,
        tokenizer=None,
        **kwargs,
    ):
        check_tokenizer(tokenizer)
        super().__init__(**kwargs)
        self.words = check_words(words)
        checked = check_counts(counts, len(self.words))
        fractional = np.flatnonzero(checked != np.floor(checked))
        if fractional.size:
            # `vocabulary` and `fit` build a `Vocabulary`, whose counts are
            # word frequencies.
            i = int(fractional[0])
            raise ValueError(
                "`counts` must be whole numbers (corpus frequencies); received "
                f"{checked[i].item()!r} at index {i}."
            )
        self.counts = [int(c) for c in checked]
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        check_choice("loss", loss, LOSSES)
        self.loss_type = loss
        self.num_negatives = check_positive_int("num_negatives", num_negatives)
        self.power = power
        self.seed = seed
        self.tokenizer = tokenizer
        init = keras.initializers.RandomUniform(
            -0.5 / self.embedding_dim, 0.5 / self.embedding_dim, seed=seed
        )
        if loss == "negative_sampling":
            self.objective = NegativeSampling(
                len(self.words),
                self.embedding_dim,
                num_negatives=self.num_negatives,
                counts=self.counts,
                power=power,
                embeddings_initializer=init,
                seed=seed,
                dtype=self.dtype_policy,
                name="negative_sampling",
            )
        else:
            self.objective = HierarchicalSoftmax(
                self.counts,
                self.embedding_dim,
                embeddings_initializer=init,
                dtype=self.dtype_policy,
                name="hierarchical_softmax",
            )

    @classmethod
    def from_corpus(cls, corpus, min_count=5, max_size=None, tokenizer=None, **kwargs):
        """Builds the vocabulary of `corpus` and a model for it.

        Args:
            corpus: documents (strings) or token lists, or a `tf.data`
                dataset of them (see `Vocabulary.build`).
            min_count: words seen fewer times are left out.
            max_size: vocabulary size limit (reserved tokens included).
            tokenizer: a `keras_seqlayers.text.Tokenizer`, or `None` for
                `Tokenizer()`; the model keeps it (see `Word2Vec`).
            **kwargs: the other `Word2Vec` arguments.

        Returns:
            A `Word2Vec` whose `vocabulary` is the built vocabulary.
        """
        from keras_seqlayers.text import Vocabulary

        vocab = Vocabulary.build(
            corpus, min_count=min_count, max_size=max_size, tokenizer=tokenizer
        )
        model = cls(
            vocab.words[NUM_RESERVED:],
            vocab.counts[NUM_RESERVED:].tolist(),
            tokenizer=tokenizer,
            **kwargs,
        )
        model._vocabulary = vocab
        return model

    @property
    def vocabulary(self):
        """The `keras_seqlayers.text.Vocabulary` of the model's words."""
        if getattr(self, "_vocabulary", None) is None:
            from keras_seqlayers.text import Vocabulary

            self._vocabulary = Vocabulary(self.words, self.counts, self.tokenizer)
        return self._vocabulary

    @property
    def vectors(self):
        """The trained input vectors as `keras_seqlayers.embeddings.WordVectors`."""
        if not self.objective.built:
            self.objective.build(None)
        return WordVectors(
            self.words, keras.ops.convert_to_numpy(self.objective.input_embeddings)
        )

    def build(self, input_shape=None):
        """Makes the objective's tables (the inputs need no shape)."""
        if not self.objective.built:
            self.objective.build(None)

    def call(self, inputs, training=None):
        rows = _table_rows(inputs)
        if isinstance(self.objective, NegativeSampling):
            return self.objective(rows, training=training)
        return self.objective(rows)

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if not self._trains_in_place(y):
            return super().train_step(data)
        pair_losses = self.objective.sgd_update(
            _table_rows(x), self.optimizer.learning_rate, sample_weight=sample_weight
        )
        self.optimizer.iterations.assign_add(1)
        loss = self.compute_loss(x, y, pair_losses, sample_weight)
        track_loss(self, loss, ops.shape(pair_losses)[0])
        return self.compute_metrics(x, y, pair_losses, sample_weight)

    def _trains_in_place(self, y):
        """Whether a step can be `NegativeSampling.sgd_update`.

        That is Keras's step with plain SGD, computed without autodiff and
        applied in slices of pairs (faster: the rows a slice touches are
        still in cache when it writes them back). It needs the TensorFlow
        backend (variables updated inside the step), XLA (for in-place
        scatter-adds), one replica (each would update only its own copy of
        the tables), an SGD that only scales the gradient, and the loss of
        `Word2Vec` itself (a subclass's own `call` or `compute_loss` gets
        Keras's step).
        """
        return (
            updates_in_place(self)
            and y is None
            and type(self).call is Word2Vec.call
            and type(self).compute_loss is Word2Vec.compute_loss
            and isinstance(self.objective, NegativeSampling)
            # Built (so saving keeps the tables) and both tables trainable.
            and self.built
            and len(self.objective.trainable_weights) == 2
            and is_plain(self.optimizer, keras.optimizers.SGD)
            and self.optimizer.momentum == 0
        )

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        pair_losses = ops.cast(y_pred, "float32")
        if sample_weight is not None:
            pair_losses = pair_losses * ops.cast(sample_weight, "float32")
        loss = ops.sum(pair_losses)
        losses = self.losses
        if losses:
            loss = loss + ops.sum(ops.stack([ops.cast(v, "float32") for v in losses]))
        return loss

    def fit(
        self,
        x=None,
        y=None,
        epochs=5,
        window=5,
        sample=1e-3,
        shrink_windows=True,
        batch_size=None,
        learning_rate=0.025,
        min_learning_rate=1e-4,
        steps_per_execution=32,
        progress_every=0,
        seed=None,
        callbacks=None,
        verbose="auto",
        **kwargs,
    ):
        """Trains on a corpus (or on a ready `tf.data` dataset of pairs).

        With `x` a dataset of `((center, context),)` id batches this is plain
        `keras.Model.fit` on the compiled model; the arguments that only
        shape corpus training (`window` to `seed` below) must then keep their
        defaults.
        Otherwise `x` is a corpus, as for `Vocabulary.build`: documents or
        token lists, or a `tf.data.Dataset` of scalar strings (documents) or
        1-D string tensors (token lists), encoded with `self.vocabulary`.

        Args:
            x: the corpus, or a `tf.data.Dataset` of pairs.
            y: unused (must be `None`).
            epochs: passes over the corpus (int >= 1).
            window: maximum window (int >= 1).
            sample: subsampling threshold (a number >= 0; 0 disables).
            shrink_windows: draw each center's window from `[1, window]`.
            batch_size: pairs per step (int >= 1). Default None: 16384 when
                the steps will be the in-place SGD in slices of 1024 pairs
                (negative sampling, `fit`'s own compile on one device with
                TensorFlow, or a built model compiled so, see above), where
                larger batches only cut Keras's per-step work; 4096
                otherwise. Each pair's gradient is applied at the full
                learning rate, summed over the pairs of an update (1024
                pairs with negative sampling and the default SGD, see above;
                the whole batch otherwise), so frequent words take larger
                steps in larger updates. The default is lowered to the
                expected pairs of one pass over a smaller corpus, so that a
                step holds at most one pass (an epoch still runs at least
                one step, or one call of `steps_per_execution` steps when
                the model was compiled); a given value larger than that
                makes each step span several passes.
            learning_rate: initial SGD step, a finite number > 0 (used when not
                compiled).
            min_learning_rate: final SGD step, >= 0 (used when not compiled).
            steps_per_execution: most training steps per compiled call
                (int >= 1): an epoch is split into equal calls of at most
                this many steps, which it fills by running up to one step
                more per call than its pairs need; 1, and no XLA, under a
                multi-replica `tf.distribute` strategy. When the model was
                compiled, its own value, and the epoch is rounded to the
                nearest multiple of it.
            progress_every: print words/sec every this many steps (int >= 0;
                0: only the per-epoch `words_per_sec` entry of the history).
            seed: int seed of the pipeline's randomness, or `None`.
            callbacks: extra Keras callbacks.
            verbose: as for `keras.Model.fit`.
            **kwargs: passed to `keras.Model.fit`.

        Returns:
            The `History`; `history["words_per_sec"]` per epoch.

        Raises:
            TypeError: with a corpus, an argument above has the wrong type
                (an int argument that is not an integer, a number that is not
                one, `shrink_windows` not a bool, `seed` not an int or None).
            ValueError: `x` is a `tf.data.Dataset` of strings that is not a
                corpus (say, 2-D string tensors or tuples holding strings);
                `x` is a dataset of pairs and a corpus-only argument is not
                its default; `y` is given with a corpus; an argument above
                is out of range; or the corpus has no token, or no
                document with two words of the vocabulary (no pair).
            FloatingPointError: when fitting on a corpus, the loss became NaN
                or infinite. Training stops after the compiled call (up to
                `steps_per_execution` steps) whose mean loss was not finite;
                the weights are then unusable.
        """
        # The corpus pipeline is tf.data (keras_seqlayers.text); the model
        # itself uses keras ops only.
        from keras_seqlayers.text.skipgram import is_dataset
        from keras_seqlayers.text.vocabulary import is_corpus_dataset, is_text_dataset

        if is_dataset(x) and not is_text_dataset(x):
            corpus_only = {
                "window": window,
                "sample": sample,
                "shrink_windows": shrink_windows,
                "batch_size": batch_size,
                "learning_rate": learning_rate,
                "min_learning_rate": min_learning_rate,
                "steps_per_execution": steps_per_execution,
                "progress_every": progress_every,
                "seed": seed,
            }
            defaults = inspect.signature(Word2Vec.fit).parameters
            changed = [
                name
                for name, value in corpus_only.items()
                if value != defaults[name].default
            ]
            if changed:
                raise ValueError(
                    f"{changed} apply to a corpus only; a dataset of pairs is "
                    "trained as it comes, with the model's own compile. "
                    "Batch, shuffle and seed the dataset and compile the model "
                    "instead, or pass the corpus."
                )
            self._build_for_fit()
            return super().fit(
                x, y, epochs=epochs, callbacks=callbacks, verbose=verbose, **kwargs
            )
        if is_dataset(x) and not is_corpus_dataset(x):
            raise ValueError(
                "`x` must be a corpus (documents or token lists, or a "
                "`tf.data.Dataset` of scalar strings or 1-D string tensors) or a "
                "`tf.data.Dataset` of `((center, context),)` id batches; "
                f"received a dataset of strings with element_spec={x.element_spec}."
            )
        if y is not None:
            raise ValueError("`y` must be None when fitting on a corpus.")
        from keras_seqlayers.text import (
            expected_skipgram_pairs,
            skipgram_dataset,
        )
        from keras_seqlayers.text.skipgram import has_pairs

        # Every argument is checked before the corpus is read.
        epochs = check_positive_int("epochs", epochs)
        window = check_positive_int("window", window)
        sample = check_number("sample", sample)
        shrink_windows = check_bool("shrink_windows", shrink_windows)
        replicas = self.distribute_strategy.num_replicas_in_sync
        default_batch = batch_size is None
        if batch_size is None:
            batch_size = 16384 if self._will_train_in_place(replicas) else 4096
        batch_size = check_positive_int("batch_size", batch_size)
        learning_rate = check_number("learning_rate", learning_rate, inclusive=False)
        min_learning_rate = check_number("min_learning_rate", min_learning_rate)
        if min_learning_rate > learning_rate:
            raise ValueError(
                "`min_learning_rate` must be at most `learning_rate` "
                f"({learning_rate}), the rate decays to it; received "
                f"min_learning_rate={min_learning_rate}."
            )
        steps_per_execution = check_positive_int(
            "steps_per_execution", steps_per_execution
        )
        progress_every = check_positive_int("progress_every", progress_every, 0)
        seed = check_seed(seed)
        sequences = self.vocabulary.encode(x)
        num_tokens = sum(len(s) for s in sequences)
        if num_tokens == 0:
            raise ValueError("The corpus is empty: it contains no token.")
        # <PAD> and <UNK> are removed; <EOS> ends a sentence (pairs never
        # cross it), as in word2vec.
        drop, boundary = DEFAULT_DROP_IDS, DEFAULT_BOUNDARY_IDS
        if not has_pairs(sequences, drop, boundary):
            raise ValueError(
                "The corpus has no skip-gram pair to train on: no document "
                "(or sentence between <EOS> tokens) holds two words of the "
                "model's vocabulary."
            )
        vocab_counts = self.vocabulary.counts
        pairs = expected_skipgram_pairs(
            sequences, vocab_counts, window, sample, shrink_windows, drop, boundary
        )
        if default_batch and pairs < batch_size:
            # On the repeated dataset an epoch of one step larger than a pass
            # would be many passes (on a tiny vocabulary, each update would
            # also add up hundreds of steps of the same rows).
            batch_size = max(1, math.floor(pairs))
        dataset = skipgram_dataset(
            sequences,
            counts=vocab_counts,
            window=window,
            sample=sample,
            shrink_windows=shrink_windows,
            batch_size=batch_size,
            drop_ids=drop,
            boundary_ids=boundary,
            repeat=True,
            seed=seed,
            model_inputs=True,
        )
        steps = max(1, round(pairs / batch_size))
        # Keras runs whole executions of `steps_per_execution` steps on an
        # endless dataset, so an epoch is a multiple of it; the default
        # schedule then decays over exactly the steps that run.
        if self.compiled:
            steps_per_execution = self.steps_per_execution
            steps = max(1, round(steps / steps_per_execution)) * steps_per_execution
        else:
            if replicas > 1:
                # Under a multi-replica strategy the step runs without XLA (it
                # cannot use variables mirrored on another device) and one
                # step at a time (Keras's multi-step loop fails there on the
                # sparse SGD update).
                steps_per_execution = 1
            # Equal calls of at most `steps_per_execution` steps: an epoch
            # then runs its steps and fewer than one more per call (rounding
            # to a multiple of 32 dropped 12 % of an epoch of 73 steps).
            calls = math.ceil(steps / steps_per_execution)
            steps_per_execution = math.ceil(steps / calls)
            steps = calls * steps_per_execution
        if not self.compiled:
            schedule = keras.optimizers.schedules.PolynomialDecay(
                learning_rate,
                decay_steps=steps * epochs,
                end_learning_rate=min_learning_rate,
                power=1.0,
            )
            self.compile(
                optimizer=keras.optimizers.SGD(schedule),
                jit_compile=replicas == 1,
                steps_per_execution=steps_per_execution,
            )
        self._build_for_fit()
        speed = WordsPerSecond(num_tokens / steps, every=progress_every)
        history = super().fit(
            dataset,
            epochs=epochs,
            steps_per_epoch=steps,
            callbacks=[speed, keras.callbacks.TerminateOnNaN(), *(callbacks or [])],
            verbose=verbose,
            shuffle=False,
            **kwargs,
        )
        losses = history.history.get("loss", [])
        if any(not math.isfinite(loss) for loss in losses):
            # SGD on a sum over pairs: a word repeated across a batch gets
            # all its pairs' steps at once, so big batches can blow up.
            rate = float(ops.convert_to_numpy(self.optimizer.learning_rate))
            raise FloatingPointError(
                f"Training diverged: the loss became {losses[-1]} in epoch "
                f"{history.epoch[-1] + 1} (batch_size={batch_size}, learning "
                f"rate {rate:.3g} when it stopped), and training stopped. Each "
                "pair's gradient is applied at the full learning rate, so "
                "frequent words take larger steps in larger updates (batches, "
                "or slices of up to 1024 pairs with the default SGD): lower the "
                "learning rate or `batch_size` and train a new model."
            )
        return history

    def _will_train_in_place(self, replicas):
        """Whether `fit` on a corpus will take `_trains_in_place` steps."""
        if self.compiled:
            return self.built and self._trains_in_place(None)
        # `fit` then compiles plain SGD, with XLA on one device.
        return (
            replicas == 1
            and keras.backend.backend() == "tensorflow"
            and isinstance(self.objective, NegativeSampling)
        )

    def _build_for_fit(self):
        # Built here, in the strategy's scope: tables made in Keras's first
        # trace of the step would make it trace the step again.
        if not self.built:
            with self.distribute_strategy.scope():
                self.build(None)

    def get_config(self):
        return {
            **super().get_config(),
            "words": self.words,
            "counts": self.counts,
            "embedding_dim": self.embedding_dim,
            "loss": self.loss_type,
            "num_negatives": self.num_negatives,
            "power": self.power,
            "seed": self.seed,
            "tokenizer": (
                None if self.tokenizer is None else self.tokenizer.get_config()
            ),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        # The tokenizer is kept as its settings (plain JSON, safe_mode-proof).
        config = dict(config)
        if config.get("tokenizer") is not None:
            config["tokenizer"] = Tokenizer.from_config(config["tokenizer"])
        return super().from_config(config, custom_objects=custom_objects)


def _table_rows(inputs):
    """Vocabulary ids -> rows of the tables, as `[center, context]`.

    Reserved ids become negative and give an error or NaN, never a silent
    vector.
    """
    center, context = inputs
    return [
        int32_ids(center) - NUM_RESERVED,
        int32_ids(context) - NUM_RESERVED,
    ]

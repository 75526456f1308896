"""A ready-to-train GloVe model: the layer, the loss and AdaGrad."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import check_number, check_positive_int, is_real_dtype
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.layers.embedding.glove import GloVe as GloVeLayer
from keras_seqlayers.losses import GloVeLoss
from keras_seqlayers.models._checked_ids import (
    CheckedIds,
    first_bad_id,
    refuse_bad_ids,
    run_with_checked_ids,
)
from keras_seqlayers.models._common import (
    GENSIM_NAMES,
    check_rereadable,
    gensim_attribute,
    is_plain,
    refuse_gensim_names,
    track_loss,
    updates_in_place,
    vocabulary_config,
    with_tokenizer,
)
from keras_seqlayers.registration import register
from keras_seqlayers.text.cooccurrence import cooccurrence
from keras_seqlayers.text.corpus import corpus_ids
from keras_seqlayers.text.tokenization import check_tokenizer
from keras_seqlayers.text.vocabulary import Vocabulary
from keras_seqlayers.tokens import NUM_RESERVED


class _StepProgbar(keras.callbacks.ProgbarLogger):
    """Keras's progress bar, counting only the steps that ran.

    Keras reports each compiled call as `steps_per_execution` steps, even
    the last call of a finite dataset that ran out sooner: an epoch of 3
    batches at 32 steps per call showed "32/3" and a negative ETA.
    """

    def on_train_batch_end(self, batch, logs=None):
        # `target` is the epoch's batches when the dataset's length is known.
        if self.target:
            batch = min(batch, self.target - 1)
        super().on_train_batch_end(batch, logs)


# gensim names that mean for GloVe what they mean for Word2Vec (gensim's
# `alpha` is a learning rate, GloVe's `alpha` the weighting exponent).
GLOVE_GENSIM_NAMES = {
    name: GENSIM_NAMES[name]
    for name in ("wv", "vector_size", "sentences", "corpus_iterable", "corpus_file")
}


# The layer owns "keras_seqlayers>GloVe" in the registry.
@register(name="GloVeModel")
class GloVe(CheckedIds, keras.Model):
    """GloVe word vectors trained with `fit` on co-occurrence counts.

    Wraps `ksl.layers.GloVe` and compiles by default with
    `ksl.losses.GloVeLoss(x_max, alpha)` and textbook AdaGrad at
    `learning_rate` (0.05, the reference code's rate), its sums of squared
    gradients starting at 1. (The reference code sums the squares of its
    rate-scaled steps instead; that variant learned less in 10 epochs on
    our benchmark corpora.) `fit` takes a `ksl.text.CooccurrenceMatrix`
    directly (or the dataset of its `dataset()` method, or `((i, j), X)`
    arrays) and reports the loss per epoch in its history.

    Under the default compile on one device, a training step is Keras's
    AdaGrad step computed in closed form and applied to the tables in
    place, in slices of 4096 pairs one after another
    (`ksl.layers.GloVe.adagrad_update`): no pass over the whole tables, and
    a slice's rows are still in cache when it writes them back. Another
    optimizer or loss, an optimizer with clipping, weight decay or EMA, loss
    weights, a regularizer, a constraint, a mixed precision policy, or a
    subclass's own `call` or `compute_loss` gets Keras's autodiff step.

    Training from a corpus is one call, as for `ksl.models.Word2Vec`:
    `GloVe.from_corpus(corpus, epochs=10, ...)` builds the vocabulary and
    the co-occurrence counts and trains, and takes every option (the
    vocabulary's, the counting's, the model's and the training's). The
    training options (`x_max`, `alpha`, `learning_rate`) are constructor
    arguments kept with the model; the counting options (`window`, ...) go
    to `from_corpus`, which keeps the counts, so a later `fit()` trains on
    them. `vectors` is `W + W~` as `ksl.embeddings.WordVectors` of the
    vocabulary's words; `word_vectors(combine)` gives the other
    combinations, and `model.glove.vectors(combine)` the array of every id.

    Args:
        vocab_size: number of ids `V` (int >= 1), reserved ones included.
        embedding_dim: size of the vectors (int >= 1). Default 100.
        x_max: `x_max` of the loss weight `f` (a finite number > 0). Default 100.
        alpha: exponent of `f` (a finite number > 0). Default 0.75.
        learning_rate: AdaGrad's learning rate of the default compile
            (a finite number > 0). Default 0.05.
        words: the words of ids 3 to `V - 1` (`vocabulary.words[3:]`), or
            `None` (default): no words, so no `vocabulary` or `vectors`.
        counts: their corpus counts, or `None` (all 1).
        tokenizer: the `ksl.text.Tokenizer` of the vocabulary, or `None` for
            `Tokenizer()`; kept with the model.
        **kwargs: `keras.Model` arguments such as `name`.

    Raises:
        TypeError: an argument has the wrong type, or a gensim argument name
            is given (the message names ours).
        ValueError: an argument is out of range, or `words` does not hold
            `vocab_size - 3` distinct words.

    Example:

    >>> import keras_seqlayers as ksl
    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 20
    >>> model = GloVe.from_corpus(
    ...     corpus, min_count=1, embedding_dim=4, window=2, epochs=2,
    ...     batch_size=4, seed=0, verbose=0,
    ... )
    >>> model.vectors["cat"].shape, model.word_vectors("concat")["cat"].shape
    ((4,), (8,))
    >>> X = ksl.text.cooccurrence([[3, 4, 5, 3, 4]], vocab_size=6, verbose=0)
    >>> model = GloVe(vocab_size=6, embedding_dim=4)
    >>> history = model.fit(X, epochs=2, batch_size=4, verbose=0)
    >>> len(history.history["loss"]), model.glove.vectors("sum").shape
    (2, (6, 4))

    Reference:
        Pennington, Socher and Manning, "GloVe: Global Vectors for Word
        Representation", EMNLP 2014.
    """

    def __init__(
        self,
        vocab_size,
        embedding_dim=100,
        x_max=100.0,
        alpha=0.75,
        learning_rate=0.05,
        words=None,
        counts=None,
        tokenizer=None,
        **kwargs,
    ):
        refuse_gensim_names("GloVe", kwargs, GLOVE_GENSIM_NAMES)
        check_tokenizer(tokenizer)
        super().__init__(**kwargs)
        vocab_size = check_positive_int("vocab_size", vocab_size)
        if words is not None:
            # A `Vocabulary` checks the words and counts.
            self._vocabulary = Vocabulary(words, counts, tokenizer)
            if len(self._vocabulary) != vocab_size:
                raise ValueError(
                    f"`words` must number the ids {NUM_RESERVED} to "
                    f"{vocab_size - 1} of vocab_size={vocab_size} (the first "
                    f"{NUM_RESERVED} are reserved); received {len(words)} words."
                )
        elif counts is not None:
            raise ValueError("`counts` needs `words`; received words=None.")
        self.words = words if words is None else self._vocabulary.words[NUM_RESERVED:]
        self.counts = (
            counts if words is None else self._vocabulary.counts[NUM_RESERVED:].tolist()
        )
        self.tokenizer = tokenizer
        self.cooccurrence = None
        embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        learning_rate = check_number("learning_rate", learning_rate, inclusive=False)
        # The loss checks x_max and alpha before any weight is made.
        loss = GloVeLoss(x_max, alpha)
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.x_max = loss.x_max
        self.alpha = loss.alpha
        self.learning_rate = learning_rate
        self.glove = GloVeLayer(
            vocab_size, embedding_dim, dtype=self.dtype_policy, name="glove"
        )
        self.glove.build()

    def build(self, input_shape=None):
        """Makes the tables (they need no input shape)."""
        if not self.glove.built:
            self.glove.build()

    def _id_range(self):
        """`run_with_checked_ids`'s `low, high, refuse` for this vocabulary."""
        vocab_size = self.vocab_size
        return 0, vocab_size, lambda value: _refuse_id(value, vocab_size)

    def call(self, inputs):
        # Eager tensors hold their values here; `fit`, `evaluate` and
        # `predict` trace their steps, so they check the ids before.
        refuse_bad_ids(inputs, *self._id_range())
        return self.glove(inputs)

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        if y is None or not self._trains_in_place():
            return super().train_step(data)
        optimizer = self.optimizer
        dtype = self.glove.variable_dtype
        # f(X) and log X in at least float32: a float16 count over 65504
        # would be inf, but its weight and target fit in float16.
        wide = keras.backend.result_type(dtype, "float32")
        weights, targets = (
            ops.cast(t, dtype)
            for t in self.loss.weights_and_targets(ops.reshape(y, (-1,)), wide)
        )
        if sample_weight is not None:
            weights = weights * ops.reshape(ops.cast(sample_weight, dtype), (-1,))
        # Keras's private accessors: `_trains_in_place` checks the optimizer
        # is exactly Keras's Adagrad, which keeps its sums this way.
        accumulators = [
            optimizer._accumulators[optimizer._get_variable_index(v)]
            for v in self.glove.weights
        ]
        y_pred = self.glove.adagrad_update(
            x,
            targets,
            weights,
            accumulators,
            optimizer.learning_rate,
            epsilon=optimizer.epsilon,
        )
        optimizer.iterations.assign_add(1)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        track_loss(self, loss, ops.shape(y_pred)[0])
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _trains_in_place(self):
        """Whether a step with targets can be `ksl.layers.GloVe.adagrad_update`.

        That is Keras's AdaGrad step, computed without autodiff and applied
        in slices of pairs (faster: no pass over the whole tables, and the
        rows a slice touches are still in cache when it writes them back).
        It needs what `updates_in_place` lists, Keras's own Adagrad with
        nothing added, a `GloVeLoss` summed over the pairs as the only loss
        (no loss weights or regularizer), the four tables trainable, without
        constraints and computed in their own dtype (no mixed precision),
        and `GloVe`'s own `call` and `compute_loss` (a subclass's own get
        Keras's step).
        """
        layer, optimizer = self.glove, self.optimizer
        return (
            updates_in_place(self)
            and type(self).call is GloVe.call
            and type(self).compute_loss is keras.Model.compute_loss
            and type(self.loss) is GloVeLoss
            and self.loss.reduction == "sum"
            and self._loss_weights is None
            and not self.losses
            and len(self.trainable_weights) == 4
            and all(w.constraint is None for w in layer.weights)
            and layer.compute_dtype == layer.variable_dtype
            and is_plain(optimizer, keras.optimizers.Adagrad)
            and optimizer.built
        )

    def compile(self, optimizer=None, loss=None, **kwargs):
        """`keras.Model.compile` with GloVe's defaults.

        Defaults: AdaGrad at `learning_rate` (accumulators starting at 1),
        `GloVeLoss(x_max, alpha)`, `jit_compile=True` and
        `steps_per_execution=32` on one device; under a multi-replica
        `tf.distribute` strategy `jit_compile=False` and one step per
        execution (XLA cannot reach variables mirrored on another device, and
        Keras's multi-step loop fails there on the sparse update); a saved
        model loaded under such a strategy is compiled the same way.
        With 32 steps per call, Keras runs whole calls on an endless
        dataset, so give `fit` a `steps_per_epoch` that is a multiple of 32
        there (a `CooccurrenceMatrix` gives a finite dataset: no need).
        """
        single = self.distribute_strategy.num_replicas_in_sync == 1
        kwargs.setdefault("jit_compile", single)
        kwargs.setdefault("steps_per_execution", 32 if single else 1)
        if optimizer is None:
            optimizer = keras.optimizers.Adagrad(
                learning_rate=self.learning_rate, initial_accumulator_value=1.0
            )
        if loss is None:
            loss = GloVeLoss(self.x_max, self.alpha)
        super().compile(optimizer=optimizer, loss=loss, **kwargs)
        self._loss_weights = kwargs.get("loss_weights")
        # The tables exist from `__init__`, whether or not the model has been
        # called, so the optimizer can be built now. Then a saved model always
        # holds its optimizer state (iterations, accumulators), and loading,
        # which compiles, restores it; an optimizer built only in `fit` would
        # be unbuilt at load when the model itself was never called, and
        # Keras would skip its saved variables.
        self.optimizer.build(self.trainable_variables)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, seed=None, **kwargs):
        """Trains on co-occurrence pairs; compiles with defaults if needed.

        Args:
            x: a `ksl.text.CooccurrenceMatrix`, a dataset of `((i, j), X)`
                batches, or a pair `(i, j)` of id arrays with `y` the counts.
                Default None: the counts `from_corpus` made (`cooccurrence`).
            y: the counts `X_ij` when `x` is a pair of arrays.
            batch_size: pairs per `fit` step. Default for a matrix: 65536
                with the in-place step (see the class), which takes one
                AdaGrad step per slice of 4096 pairs whatever the batch;
                16384 with Keras's step, one AdaGrad step per batch (the
                loss is a sum over pairs, so every pair weighs the same
                whatever the batch size).
            epochs: passes over the pairs.
            seed: shuffling seed when `x` is a `CooccurrenceMatrix`.
            **kwargs: other `keras.Model.fit` arguments.

        Returns:
            The `History`; `history.history["loss"]` holds the loss per epoch.

        Raises:
            TypeError: pair arrays hold no real numbers.
            ValueError: `x` is None and the model holds no counts (it was
                not made by `from_corpus`); with pair arrays, `y` is missing,
                a count in it is negative, NaN or infinite, or an id in `x` is
                no whole number in `[0, vocab_size)` (in a dataset, when the
                pipeline reaches it, before its step runs); a
                `CooccurrenceMatrix` has another `vocab_size`. A dataset's
                counts are not read ahead: there a negative or non-finite
                count makes the loss NaN.
        """
        if x is None:
            if self.cooccurrence is None:
                raise ValueError(
                    "`fit` needs the co-occurrence counts as `x`: a "
                    "`ksl.text.CooccurrenceMatrix` (from `ksl.text.cooccurrence`), "
                    "a dataset of `((i, j), X)` batches, or a pair `(i, j)` of id "
                    "arrays with `y` the counts; received x=None, and this model "
                    "holds no counts of its own (`GloVe.from_corpus(corpus, ...)` "
                    "makes a model that does)."
                )
            x = self.cooccurrence
        if hasattr(x, "dataset") and hasattr(x, "vocab_size"):
            if x.vocab_size != self.vocab_size:
                raise ValueError(
                    f"The co-occurrence matrix has vocab_size {x.vocab_size} but "
                    f"the model has vocab_size {self.vocab_size}."
                )
            if batch_size is None:
                if not self.compiled:
                    self.compile()
                batch_size = 65536 if self._trains_in_place() else 16384
            x = x.dataset(batch_size=batch_size, shuffle=True, seed=seed)
            batch_size = None
            kwargs.setdefault("shuffle", False)  # the dataset shuffles itself
        elif hasattr(x, "element_spec"):
            # A tf.data dataset is trained as it comes: Keras ignores
            # `shuffle` on one, and warns. Its ids are checked as it runs.
            kwargs.setdefault("shuffle", False)
            return run_with_checked_ids(
                self._fit, x, *self._id_range(), epochs=epochs, **kwargs
            )
        elif y is not None:
            _check_pairs(x, y, self.vocab_size)
        elif isinstance(x, (list, tuple)):
            raise ValueError(
                "`y` must hold the co-occurrence counts when `x` is a pair "
                "`(i, j)` of id arrays; received y=None."
            )
        return self._fit(x, y, batch_size=batch_size, epochs=epochs, **kwargs)

    def _fit(self, x, y=None, batch_size=None, epochs=1, **kwargs):
        """Keras's `fit`, compiled with defaults, on checked pairs."""
        if not self.compiled:
            self.compile()
        # The in-place step never calls the model: built now, it saves with
        # its build config like a model Keras has called.
        if not self.built:
            self.build()
        callbacks = list(kwargs.pop("callbacks", None) or [])
        if not any(isinstance(c, keras.callbacks.ProgbarLogger) for c in callbacks):
            callbacks.append(_StepProgbar())
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, callbacks=callbacks, **kwargs
        )

    def compile_from_config(self, config):
        # Loading recompiles with the saved optimizer and loss (our `compile`
        # only fills in defaults, so Keras's own path applies unchanged).
        config = keras.saving.deserialize_keras_object(config)
        if self.distribute_strategy.num_replicas_in_sync > 1:
            # A model saved on one device holds XLA and 32 steps per call,
            # neither of which runs on mirrored variables: `compile` picks
            # the multi-replica defaults instead.
            config.pop("jit_compile", None)
            config.pop("steps_per_execution", None)
        # `compile` builds the optimizer, so its saved state loads into it.
        self.compile(**config)

    @classmethod
    def from_corpus(
        cls,
        corpus,
        min_count=5,
        max_size=None,
        tokenizer=None,
        window=10,
        symmetric=True,
        weighting="harmonic",
        epochs=None,
        batch_size=None,
        seed=None,
        verbose="auto",
        **kwargs,
    ):
        """Builds the vocabulary and counts of `corpus`; trains, given `epochs`.

        The one call that trains from a corpus: every option of the
        vocabulary, the counts, the model and its training can be given
        here. The model keeps the counts (`cooccurrence`), so a later
        `fit()` trains on them.

        Args:
            corpus: text files (a path or glob pattern, a list of
                `os.PathLike` or a `ksl.text.LineCorpus`), documents
                (strings) or token lists, or a `tf.data` dataset of them
                (see `ksl.text.Vocabulary.build`). Read twice (vocabulary,
                then counts), so not a one-shot iterator. Files are streamed
                both times, a batch of lines at a time, never held in
                memory; any other corpus is encoded into memory to count.
            min_count: words seen fewer times are left out. Default 5.
            max_size: vocabulary size limit (reserved tokens included).
            tokenizer: a `ksl.text.Tokenizer`, or `None` for `Tokenizer()`;
                the model keeps it.
            window: context words counted on each side (see
                `ksl.text.cooccurrence`). Default 10.
            symmetric: count right context too (default) or left only.
            weighting: `"harmonic"` (GloVe's) or `"uniform"`.
            epochs: passes over the counts to train now (int >= 1), or
                `None` (default): build only, and train later with `fit()`.
            batch_size: as for `fit`, when training here.
            seed: shuffling seed, as for `fit`, when training here.
            verbose: progress of the counting and of `fit`.
            **kwargs: the other `GloVe` arguments (`embedding_dim`, `x_max`,
                `alpha`, `learning_rate`, `name`).

        Returns:
            A `GloVe` with `vocabulary` and `cooccurrence` set, trained when
            `epochs` is given (its `history` is the `fit` history).

        Raises:
            TypeError: a gensim argument name (the message names ours), or
                an argument of the wrong type.
            ValueError: an argument is out of range, or the corpus is a
                one-shot iterator.
        """
        refuse_gensim_names("GloVe.from_corpus", kwargs, GLOVE_GENSIM_NAMES)
        if epochs is not None:
            epochs = check_positive_int("epochs", epochs)
        check_rereadable(corpus)
        vocab = Vocabulary.build(
            corpus, min_count=min_count, max_size=max_size, tokenizer=tokenizer
        )
        model = cls(
            len(vocab),
            words=vocab.words[NUM_RESERVED:],
            counts=vocab.counts[NUM_RESERVED:].tolist(),
            tokenizer=tokenizer,
            **kwargs,
        )
        model._vocabulary = vocab
        model.cooccurrence = model._read_corpus(
            corpus,
            window=window,
            symmetric=symmetric,
            weighting=weighting,
            verbose=verbose,
        )
        if epochs is not None:
            model.fit(epochs=epochs, batch_size=batch_size, seed=seed, verbose=verbose)
        return model

    def _read_corpus(self, corpus, window, symmetric, weighting, verbose):
        """The co-occurrence counts of `corpus` over the model's vocabulary.

        A corpus in files is read a batch of lines at a time, never all in
        memory.
        """
        return cooccurrence(
            corpus_ids(self.vocabulary, corpus),
            self.vocab_size,
            window=window,
            symmetric=symmetric,
            weighting=weighting,
            verbose=verbose,
        )

    @property
    def vocabulary(self):
        """The `ksl.text.Vocabulary` of the model's words.

        Raises:
            ValueError: the model was made without `words`.
        """
        if getattr(self, "_vocabulary", None) is None:
            raise ValueError(
                f"This GloVe has no vocabulary: it was made from vocab_size="
                f"{self.vocab_size} alone. Build it with "
                "`GloVe.from_corpus(corpus, ...)`, or pass "
                "`words=vocabulary.words[3:]` (and `counts`) to `GloVe`."
            )
        return self._vocabulary

    @property
    def vectors(self):
        """The word vectors `W + W~` as `ksl.embeddings.WordVectors`.

        One row per word of the vocabulary, reserved tokens excluded; see
        `word_vectors` for the other combinations of `W` and `W~`.

        Raises:
            ValueError: the model was made without `words` (there
                `model.glove.vectors(combine)` gives the array of all ids).
        """
        return self.word_vectors("sum")

    def word_vectors(self, combine="sum"):
        """The word vectors as `ksl.embeddings.WordVectors`.

        Args:
            combine: `"sum"` (`W + W~`, GloVe's choice and `vectors`),
                `"mean"`, `"word"` (`W`), `"context"` (`W~`) or `"concat"`
                (`[W, W~]`, twice the size).

        Returns:
            `WordVectors` of the vocabulary's words, reserved tokens
            excluded.

        Raises:
            ValueError: `combine` is none of the above, or the model was made
                without `words`; `model.glove.vectors(combine)` then gives
                the NumPy array of every id, reserved rows included.
        """
        if getattr(self, "_vocabulary", None) is None:
            raise ValueError(
                f"This GloVe has no words (it was made from vocab_size="
                f"{self.vocab_size} alone), so no `WordVectors`: "
                "`model.glove.vectors(combine)` gives the NumPy array of every "
                "id, reserved rows included (what `GloVe.vectors()` returned "
                "before it became a `WordVectors` property). Build the model "
                "with `GloVe.from_corpus(corpus, ...)` or pass `words=` to get "
                "word vectors."
            )
        table = self.glove.vectors(combine)
        return WordVectors(self.words, table[NUM_RESERVED:])

    # gensim's attribute names, refused with a message naming ours.
    wv = gensim_attribute("wv")
    vector_size = gensim_attribute("vector_size")

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "embedding_dim": self.embedding_dim,
            "x_max": self.x_max,
            "alpha": self.alpha,
            "learning_rate": self.learning_rate,
            **vocabulary_config(self),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return super().from_config(
            with_tokenizer(config), custom_objects=custom_objects
        )


def _check_pairs(x, y, vocab_size):
    """Checks pair arrays for `fit`: whole ids in the vocabulary, counts >= 0."""
    counts = np.asarray(y)
    if not is_real_dtype(counts.dtype):
        raise TypeError(
            f"`y` must hold the co-occurrence counts (real numbers); received dtype "
            f"{counts.dtype}."
        )
    bad = ~(counts >= 0) | ~np.isfinite(counts)
    if bad.any():
        k = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(
            "`y` (the co-occurrence counts) must be finite and >= 0; received "
            f"{counts.ravel()[k].item()!r} at index {k}."
        )
    for ids in x if isinstance(x, (list, tuple)) else [x]:
        ids = np.asarray(ids)
        if not np.issubdtype(ids.dtype, np.number):
            raise TypeError(
                f"`x` must hold integer pair ids; received dtype {ids.dtype}."
            )
        value = first_bad_id(ids, 0, vocab_size)
        if value is not None:
            _refuse_id(value, vocab_size)


def _refuse_id(value, vocab_size):
    raise ValueError(
        f"`x` pair ids must be whole numbers in [0, {vocab_size}), the model's "
        f"vocab_size; received the id {value}."
    )

"""Word2Vec (skip-gram) as a Keras model that trains on a corpus with `fit`."""

import math

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_positive_counts,
    check_positive_int,
)
from keras_seqlayers.embeddings.similarity import WordVectors
from keras_seqlayers.layers.embedding.hierarchical_softmax import HierarchicalSoftmax
from keras_seqlayers.layers.embedding.negative_sampling import NegativeSampling
from keras_seqlayers.models._checked_ids import (
    CheckedIds,
    refuse_bad_ids,
    run_with_checked_ids,
)
from keras_seqlayers.models._common import (
    check_rereadable,
    gensim_attribute,
    is_plain,
    refuse_gensim_names,
    track_loss,
    vocabulary_config,
    with_tokenizer,
)
from keras_seqlayers.models._word2vec_inputs import (
    TRAINING_OPTIONS,
    corpus_options,
    refuse_id,
    table_rows,
    training_options,
)
from keras_seqlayers.models.callbacks import WordsPerSecond
from keras_seqlayers.registration import register
from keras_seqlayers.text.tokenization import check_tokenizer
from keras_seqlayers.text.vocabulary import check_words
from keras_seqlayers.tokens import (
    DEFAULT_BOUNDARY_IDS,
    DEFAULT_DROP_IDS,
    NUM_RESERVED,
)

LOSSES = ("negative_sampling", "hierarchical_softmax")


@register
class Word2Vec(CheckedIds, keras.Model):
    """Skip-gram word2vec: negative sampling (default) or hierarchical softmax.

    The model's inputs are `(center, context)` pairs of vocabulary ids (a
    `keras_seqlayers.text.Vocabulary` numbering: ids 0-2 are reserved and
    have no vectors) and its output is the per-pair loss; training minimises
    the sum of the per-pair losses of a batch, so with plain SGD every pair
    gets word2vec's step size. `fit` also accepts a corpus directly: it
    builds the skip-gram pipeline (subsampling, shrinking windows), and,
    unless the model was compiled, compiles SGD with word2vec's learning
    rate decaying linearly from `learning_rate` to `min_learning_rate` over
    all steps, under XLA.

    Training steps are Keras's (one update per batch, computed by autodiff,
    whose gradients of the gathered rows are sparse) unless the model is
    compiled with `in_place_sgd=True` (see `compile`): then a step is the
    objective's `sgd_update`, word2vec's SGD in closed form applied to the
    tables in place, 1024 pairs at a time, one slice after another. `fit`
    on a corpus compiles an uncompiled model that way where it can (the
    TensorFlow backend, one replica); a model you compile yourself gets
    exactly the step you asked for. Batches of at most 1024 pairs train the
    same either way. Each step updates only the rows it touched.

    Training from a corpus is one call, as gensim's `Word2Vec(sentences,
    ...)`: `Word2Vec.from_corpus(corpus, epochs=5, ...)` builds the
    vocabulary and trains, and takes every option (the vocabulary's, the
    model's and the training's). The training options (`window`, `sample`,
    `shrink_windows`, `learning_rate`, `min_learning_rate`) are constructor
    arguments kept with the model, so a later `fit(corpus)` trains the same
    way; `fit` also takes them, for that call only. gensim's names for our
    options (`vector_size`, `negative`, `alpha`, `hs`, `.wv`, ...) are
    refused with a message that names ours.

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
        window: maximum skip-gram window of corpus training (int >= 1).
            Default 5.
        sample: subsampling threshold of corpus training (a number >= 0; 0
            disables). Default 1e-3.
        shrink_windows: whether corpus training draws each center's window
            from `[1, window]`. Default True.
        learning_rate: initial SGD step of corpus training on an uncompiled
            model, a finite number > 0. Default 0.025.
        min_learning_rate: final SGD step (the rate decays linearly to it),
            `0 <= min_learning_rate <= learning_rate`. Default 1e-4.
        **kwargs: `keras.Model` arguments such as `name`.

    Raises:
        TypeError: `counts` is missing (a corpus given as `words`: use
            `from_corpus`), a word is not a `str` (or `words` is a single
            string), an integer argument is not an integer, `counts` are not
            numbers, `tokenizer` is not a `Tokenizer`, or a gensim argument
            name is given (the message names ours).
        ValueError: a word is empty, holds whitespace, is a reserved token or
            is repeated; `counts` is not one whole count > 0 per word; or
            another argument is out of range.

    Call arguments:
        inputs: a tuple `(center, context)` of integer id tensors of shape
            `(batch,)`.
        training: whether noise words are drawn afresh.

    Returns:
        The per-pair loss, shape `(batch,)`.

    Example:

    >>> corpus = ["the cat sat on the mat", "the dog sat on the log"] * 50
    >>> model = Word2Vec.from_corpus(
    ...     corpus, min_count=1, embedding_dim=8, window=2, epochs=1,
    ...     batch_size=64, verbose=0,
    ... )
    >>> model.vectors["cat"].shape
    (8,)
    >>> history = model.fit(corpus, epochs=1, batch_size=64, verbose=0)  # more

    Reference:
        Mikolov et al., 2013, "Distributed Representations of Words and
        Phrases and their Compositionality".
    """

    def __init__(
        self,
        words,
        counts=None,
        embedding_dim=100,
        loss="negative_sampling",
        num_negatives=5,
        power=0.75,
        seed=None,
        tokenizer=None,
        window=5,
        sample=1e-3,
        shrink_windows=True,
        learning_rate=0.025,
        min_learning_rate=1e-4,
        **kwargs,
    ):
        refuse_gensim_names("Word2Vec", kwargs)
        if counts is None:
            raise TypeError(
                "`Word2Vec(words, counts)` takes the vocabulary's words and their "
                "corpus counts; received no `counts`. To build the vocabulary "
                "from a corpus (and train, given `epochs`), use "
                "`Word2Vec.from_corpus(corpus, ...)`."
            )
        check_tokenizer(tokenizer)
        training = training_options(
            window, sample, shrink_windows, learning_rate, min_learning_rate
        )
        super().__init__(**kwargs)
        for name, value in training.items():
            setattr(self, name, value)
        self.words = check_words(words)
        checked = check_positive_counts(counts, len(self.words))
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
        self._in_place_sgd = False
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
    def from_corpus(
        cls,
        corpus,
        min_count=5,
        max_size=None,
        tokenizer=None,
        epochs=None,
        batch_size=None,
        steps_per_execution=None,
        progress_every=None,
        callbacks=None,
        verbose="auto",
        **kwargs,
    ):
        """Builds the vocabulary of `corpus` and a model; trains, given `epochs`.

        The one call that trains from a corpus, as gensim's
        `Word2Vec(sentences, ...)`: every option of the vocabulary, the model
        and its training can be given here.

        Args:
            corpus: text files (streamed, see `fit`), documents (strings)
                or token lists, or a `tf.data` dataset of them (see
                `Vocabulary.build`). Read twice when `epochs` is given
                (vocabulary, then training), so not a one-shot iterator.
            min_count: words seen fewer times are left out.
            max_size: vocabulary size limit (reserved tokens included).
            tokenizer: a `keras_seqlayers.text.Tokenizer`, or `None` for
                `Tokenizer()`; the model keeps it (see `Word2Vec`).
            epochs: passes over the corpus to train now (int >= 1), or `None`
                (default): build only, and train later with `fit`.
            batch_size: as for `fit`, when training here.
            steps_per_execution: as for `fit`, when training here.
            progress_every: as for `fit`, when training here.
            callbacks: as for `fit`, when training here.
            verbose: as for `fit`, when training here.
            **kwargs: the other `Word2Vec` arguments (`embedding_dim`,
                `window`, `sample`, `learning_rate`, `seed`, ...). When
                training here, `seed` also seeds the pipeline (subsampling,
                windows, shuffling), so one seed fixes the whole run.

        Returns:
            A `Word2Vec` whose `vocabulary` is the built vocabulary, trained
            when `epochs` is given (its `history` is the `fit` history).

        Raises:
            TypeError: a gensim argument name (the message names ours), or an
                argument of the wrong type.
            ValueError: an argument is out of range, or `epochs` is given
                with a one-shot iterator as the corpus.
        """
        from keras_seqlayers.text import Vocabulary

        refuse_gensim_names("Word2Vec.from_corpus", kwargs)
        if epochs is not None:
            epochs = check_positive_int("epochs", epochs)
            check_rereadable(corpus)
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
        if epochs is not None:
            model.fit(
                corpus,
                epochs=epochs,
                batch_size=batch_size,
                steps_per_execution=steps_per_execution,
                progress_every=progress_every,
                seed=model.seed,
                callbacks=callbacks,
                verbose=verbose,
            )
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
        return WordVectors(self.words, self.objective.input_embeddings.numpy())

    # gensim's attribute names, refused with a message naming ours.
    wv = gensim_attribute("wv")
    vector_size = gensim_attribute("vector_size")
    negative = gensim_attribute("negative")
    ns_exponent = gensim_attribute("ns_exponent")
    alpha = gensim_attribute("alpha")
    min_alpha = gensim_attribute("min_alpha")

    def build(self, input_shape=None):
        """Makes the objective's tables (the inputs need no shape)."""
        if not self.objective.built:
            self.objective.build(None)

    def _id_range(self):
        """`run_with_checked_ids`'s `low, high, refuse` for this vocabulary."""
        vocab_size = len(self.words)
        return (
            NUM_RESERVED,
            NUM_RESERVED + vocab_size,
            lambda value: refuse_id(value, vocab_size),
        )

    def call(self, inputs, training=None):
        # Eager tensors hold their values here; `fit`, `evaluate` and
        # `predict` trace their steps, so they check the ids before
        # (`run_with_checked_ids`).
        refuse_bad_ids(inputs, *self._id_range())
        rows = table_rows(inputs)
        if isinstance(self.objective, NegativeSampling):
            return self.objective(rows, training=training)
        return self.objective(rows)

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        *args,
        in_place_sgd=False,
        jit_compile="auto",
        **kwargs,
    ):
        """`keras.Model.compile`, with word2vec's in-place SGD as a choice.

        Args:
            optimizer: as for `keras.Model.compile`; with `in_place_sgd`, a
                plain `keras.optimizers.SGD` (or `"sgd"`): no momentum,
                weight decay, clipping, EMA, loss scaling or gradient
                accumulation.
            loss: unused (`Word2Vec`'s loss is its output, summed over the
                pairs; see `compute_loss`).
            *args: other `keras.Model.compile` arguments, in its order.
            in_place_sgd: whether a training step is the objective's
                `sgd_update` (`NegativeSampling`'s or
                `HierarchicalSoftmax`'s): SGD's step computed in closed form
                and applied to the tables in place, in slices of 1024 pairs
                one after another, under XLA (faster: no autodiff, and the
                rows a slice touches are still in cache when it writes them
                back). It needs the TensorFlow backend, one replica, both
                tables trainable and XLA; the step ignores a subclass's own
                `call` and `compute_loss` gradient. Default False: Keras's
                step. The choice is saved with the model; a model loaded
                where the in-place step cannot run (another backend, several
                replicas) gets Keras's.
            jit_compile: as for `keras.Model.compile`; `"auto"` is True with
                `in_place_sgd`.
            **kwargs: other `keras.Model.compile` arguments.

        Raises:
            TypeError: `in_place_sgd` is not a bool.
            ValueError: `in_place_sgd=True` where one of its needs is not
                met (the message lists them).
        """
        in_place_sgd = check_bool("in_place_sgd", in_place_sgd)
        if in_place_sgd:
            if jit_compile == "auto":
                jit_compile = True
            optimizer = keras.optimizers.get(optimizer)
            lacks = self._in_place_sgd_lacks(optimizer, jit_compile)
            if kwargs.get("run_eagerly"):
                lacks.append("run_eagerly=False")
            if lacks:
                raise ValueError(
                    "`in_place_sgd=True` needs the TensorFlow backend, one "
                    "replica, both tables trainable, "
                    "jit_compile=True and a plain `keras.optimizers.SGD`; "
                    f"received a model and arguments without: {', '.join(lacks)}."
                )
        super().compile(optimizer, loss, *args, jit_compile=jit_compile, **kwargs)
        self._in_place_sgd = in_place_sgd

    def _in_place_sgd_lacks(self, optimizer, jit_compile):
        """The needs of `in_place_sgd=True` that are not met, as phrases.

        `optimizer=None` leaves the optimizer out. Builds the model (its
        trainable tables are among the needs).
        """
        self._build_for_fit()
        needs = {
            "the TensorFlow backend": keras.backend.backend() == "tensorflow",
            "one replica": self.distribute_strategy.num_replicas_in_sync == 1,
            "both tables trainable": len(self.objective.trainable_weights) == 2,
            "jit_compile=True": jit_compile is True,
        }
        if optimizer is not None:
            needs["a plain `keras.optimizers.SGD`"] = (
                is_plain(optimizer, keras.optimizers.SGD) and optimizer.momentum == 0
            )
        return [need for need, met in needs.items() if not met]

    def get_compile_config(self):
        config = super().get_compile_config()
        if config:
            config["in_place_sgd"] = self._in_place_sgd
        return config

    def compile_from_config(self, config):
        # Keras skips a custom `compile` when loading; this one takes the
        # saved arguments.
        config = keras.saving.deserialize_keras_object(config)
        if config.get("in_place_sgd"):
            jit_compile = config.get("jit_compile", "auto") in ("auto", True)
            lacks = self._in_place_sgd_lacks(config["optimizer"], jit_compile)
            config["in_place_sgd"] = not lacks
        self.compile(**config)
        if self.built:
            self.optimizer.build(self.trainable_variables)

    def train_step(self, data):
        if not self._in_place_sgd:
            return super().train_step(data)
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        pair_losses = self.objective.sgd_update(
            table_rows(x), self.optimizer.learning_rate, sample_weight=sample_weight
        )
        self.optimizer.iterations.assign_add(1)
        loss = self.compute_loss(x, y, pair_losses, sample_weight)
        track_loss(self, loss, ops.shape(pair_losses)[0])
        return self.compute_metrics(x, y, pair_losses, sample_weight)

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
        window=None,
        sample=None,
        shrink_windows=None,
        batch_size=None,
        learning_rate=None,
        min_learning_rate=None,
        steps_per_execution=None,
        progress_every=None,
        seed=None,
        callbacks=None,
        verbose="auto",
        **kwargs,
    ):
        """Trains on a corpus (or on a ready `tf.data` dataset of pairs).

        With `x` a dataset of `((center, context),)` id batches this is plain
        `keras.Model.fit` on the compiled model; the arguments that only
        shape corpus training (`window` to `seed` below) must then be left
        out.
        Otherwise `x` is a corpus, as for `Vocabulary.build` (text files,
        documents or token lists, or a `tf.data.Dataset` of scalar strings or
        1-D string tensors), encoded with `self.vocabulary`. Files are
        streamed, never held in memory: one pass counts their tokens and
        pairs, and each epoch reads them again; other corpora are encoded
        into memory once.

        Args:
            x: the corpus, or a `tf.data.Dataset` of pairs.
            y: unused (must be `None`).
            epochs: passes over the corpus (int >= 1).
            window: maximum window (int >= 1) for this call. Default None:
                the model's `window`.
            sample: subsampling threshold (a number >= 0; 0 disables) for
                this call. Default None: the model's `sample`.
            shrink_windows: draw each center's window from `[1, window]`,
                for this call. Default None: the model's `shrink_windows`.
            batch_size: pairs per step (int >= 1). Default None: 16384 when
                the steps are the in-place SGD in slices of 1024 pairs (a
                model compiled with `in_place_sgd=True`, or not compiled and
                able to, see `compile`), where larger batches only cut
                Keras's per-step work; 1024 otherwise. Each pair's gradient
                is applied at the full learning rate, summed over the pairs
                of an update (a slice in place, else the batch), so frequent
                words (and hierarchical softmax's root, on every path) take
                larger steps in larger updates. The default is lowered to
                the expected pairs of one pass over a smaller corpus, so a
                step holds at most one pass (an epoch still runs at least
                one step, or one call of `steps_per_execution` steps when
                the model was compiled); a given value larger than that
                makes each step span several passes.
            learning_rate: initial SGD step, a finite number > 0, for this
                call; only on an uncompiled model (a compiled one refuses
                it). Default None: the model's.
            min_learning_rate: final SGD step, >= 0, for this call; only
                on an uncompiled model. Default None: the model's.
            steps_per_execution: most training steps per compiled call
                (int >= 1; default 32): an epoch is split into equal calls
                of at most this many steps, which it fills by running up to
                one step more per call than its pairs need; 1, and no XLA,
                under a multi-replica `tf.distribute` strategy. Only on an
                uncompiled model: a compiled one uses its own (giving one is
                an error) and rounds the epoch to the nearest multiple of it.
            progress_every: print words/sec every this many steps (int >= 0;
                default 0: only the per-epoch `words_per_sec` entry of the
                history).
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
                `x` is a dataset of pairs and a corpus-only argument is
                given; `y` is given with a corpus; an argument above is out
                of range; or the corpus has no token, or no document with
                two words of the vocabulary (no pair).
            FloatingPointError: when fitting on a corpus, the loss became NaN
                or infinite. Training stops after the compiled call (up to
                `steps_per_execution` steps) whose mean loss was not finite;
                the weights are then unusable.
        """
        # The corpus pipeline is tf.data (keras_seqlayers.text); the model
        # itself uses keras ops only.
        from keras_seqlayers.text.skipgram import is_dataset
        from keras_seqlayers.text.vocabulary import is_corpus_dataset, is_text_dataset

        options = {
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
        if is_dataset(x) and not is_text_dataset(x):
            return self._fit_pairs(x, y, epochs, options, callbacks, verbose, kwargs)
        if is_dataset(x) and not is_corpus_dataset(x):
            raise ValueError(
                "`x` must be a corpus (documents or token lists, or a "
                "`tf.data.Dataset` of scalar strings or 1-D string tensors) or a "
                "`tf.data.Dataset` of `((center, context),)` id batches; "
                f"received a dataset of strings with element_spec={x.element_spec}."
            )
        if y is not None:
            raise ValueError("`y` must be None when fitting on a corpus.")
        # Every argument is checked before the corpus is read.
        epochs = check_positive_int("epochs", epochs)
        compile_options = ("learning_rate", "min_learning_rate", "steps_per_execution")
        ignored = [name for name in compile_options if options[name] is not None]
        if self.compiled and ignored:
            raise ValueError(
                f"{ignored} set up the compile that `fit` makes for an "
                "uncompiled model, but this model is compiled (by `compile` or "
                "an earlier `fit`), so they would be ignored. Give them to the "
                "first training call (`from_corpus(..., epochs=...)` or the "
                "first `fit`), or call `compile` with your own optimizer."
            )
        options = corpus_options(self, **options)
        return self._fit_corpus(x, epochs, options, callbacks, verbose, kwargs)

    def _fit_pairs(self, pairs, y, epochs, options, callbacks, verbose, kwargs):
        """Keras's `fit` on a dataset of pairs, with the model's own compile."""
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise ValueError(
                f"{given} apply to a corpus only; a dataset of pairs is "
                "trained as it comes, with the model's own compile. "
                "Batch, shuffle and seed the dataset and compile the model "
                "instead, or pass the corpus."
            )
        self._build_for_fit()
        # Trained as it comes: Keras ignores `shuffle` on a dataset, and warns.
        kwargs.setdefault("shuffle", False)
        return run_with_checked_ids(
            super().fit,
            pairs,
            *self._id_range(),
            y,
            epochs=epochs,
            callbacks=callbacks,
            verbose=verbose,
            **kwargs,
        )

    def _fit_corpus(self, corpus, epochs, options, callbacks, verbose, kwargs):
        """Keras's `fit` on the endless skip-gram pipeline of `corpus`."""
        sequences, num_tokens, pairs = self._read_corpus(corpus, options)
        batch_size = self._batch_size(options.batch_size, pairs)
        steps, steps_per_execution = self._epoch_steps(
            pairs, batch_size, options.steps_per_execution
        )
        if not self.compiled:
            self._compile_for_corpus(options, steps * epochs, steps_per_execution)
        self._build_for_fit()
        history = super().fit(
            self._pair_dataset(sequences, options, batch_size),
            epochs=epochs,
            steps_per_epoch=steps,
            callbacks=[
                WordsPerSecond(num_tokens / steps, every=options.progress_every),
                keras.callbacks.TerminateOnNaN(),
                *(callbacks or []),
            ],
            verbose=verbose,
            shuffle=False,
            **kwargs,
        )
        self._check_finite(history, batch_size)
        return history

    def _read_corpus(self, corpus, options):
        """The corpus's id sequences, its tokens and its expected pairs per pass.

        For text files, `sequences` is a dataset that reads them again at
        each pass.
        """
        from keras_seqlayers.text.corpus import corpus_ids
        from keras_seqlayers.text.skipgram import skipgram_statistics

        sequences = corpus_ids(self.vocabulary, corpus)
        statistics = skipgram_statistics(
            sequences,
            self.vocabulary.counts,
            options.window,
            options.sample,
            options.shrink_windows,
            DEFAULT_DROP_IDS,
            DEFAULT_BOUNDARY_IDS,
        )
        if statistics.num_tokens == 0:
            raise ValueError("The corpus is empty: it contains no token.")
        if not statistics.has_pairs:
            raise ValueError(
                "The corpus has no skip-gram pair to train on: no document "
                "(or sentence between <EOS> tokens) holds two words of the "
                "model's vocabulary."
            )
        return sequences, statistics.num_tokens, statistics.expected_pairs

    def _batch_size(self, batch_size, pairs):
        """The given batch size, or the default for the steps `fit` will take."""
        if batch_size is not None:
            return batch_size
        if self.compiled:
            in_place = self._in_place_sgd
        else:
            replicas = self.distribute_strategy.num_replicas_in_sync
            # `fit` will compile SGD, with XLA on one device.
            in_place = not self._in_place_sgd_lacks(None, replicas == 1)
        # At most 1024 pairs summed per update either way (hierarchical
        # softmax diverged on the bundled sample at 4096); a step larger
        # than a pass would make an epoch many passes.
        return max(1, min(16384 if in_place else 1024, math.floor(pairs)))

    def _epoch_steps(self, pairs, batch_size, steps_per_execution):
        """Steps per epoch and per compiled call.

        Keras runs whole calls of `steps_per_execution` steps on an endless
        dataset, so an epoch is a multiple of it, and the default schedule
        then decays over exactly the steps that run.
        """
        steps = max(1, round(pairs / batch_size))
        if self.compiled:
            per_call = self.steps_per_execution
            return max(1, round(steps / per_call)) * per_call, per_call
        if self.distribute_strategy.num_replicas_in_sync > 1:
            # Under a multi-replica strategy the step runs without XLA (it
            # cannot use variables mirrored on another device) and one step
            # at a time (Keras's multi-step loop fails there on the sparse
            # SGD update).
            steps_per_execution = 1
        # Equal calls of at most `steps_per_execution` steps: an epoch then
        # runs its steps and fewer than one more per call, where rounding to
        # a multiple of `steps_per_execution` could drop or add up to half a
        # call's steps.
        calls = math.ceil(steps / steps_per_execution)
        per_call = math.ceil(steps / calls)
        return calls * per_call, per_call

    def _compile_for_corpus(self, options, total_steps, steps_per_execution):
        """word2vec's SGD, decaying linearly over all steps, in place if it can."""
        schedule = keras.optimizers.schedules.PolynomialDecay(
            options.learning_rate,
            decay_steps=total_steps,
            end_learning_rate=options.min_learning_rate,
            power=1.0,
        )
        optimizer = keras.optimizers.SGD(schedule)
        single = self.distribute_strategy.num_replicas_in_sync == 1
        self.compile(
            optimizer=optimizer,
            jit_compile=single,
            steps_per_execution=steps_per_execution,
            in_place_sgd=not self._in_place_sgd_lacks(optimizer, single),
        )

    def _pair_dataset(self, sequences, options, batch_size):
        from keras_seqlayers.text import skipgram_dataset

        return skipgram_dataset(
            sequences,
            counts=self.vocabulary.counts,
            window=options.window,
            sample=options.sample,
            shrink_windows=options.shrink_windows,
            batch_size=batch_size,
            drop_ids=DEFAULT_DROP_IDS,
            boundary_ids=DEFAULT_BOUNDARY_IDS,
            repeat=True,
            seed=options.seed,
            model_inputs=True,
        )

    def _check_finite(self, history, batch_size):
        """Raises `FloatingPointError` if an epoch's loss was not finite."""
        losses = history.history.get("loss", [])
        if all(math.isfinite(loss) for loss in losses):
            return
        # SGD on a sum over pairs: a word repeated across a batch gets all
        # its pairs' steps at once, so big batches can blow up.
        rate = float(ops.convert_to_numpy(self.optimizer.learning_rate))
        raise FloatingPointError(
            f"Training diverged: the loss became {losses[-1]} in epoch "
            f"{history.epoch[-1] + 1} (batch_size={batch_size}, learning "
            f"rate {rate:.3g} when it stopped), and training stopped. Each "
            "pair's gradient is applied at the full learning rate, so "
            "frequent words take larger steps in larger updates (batches, "
            "or slices of up to 1024 pairs with the in-place SGD): lower the "
            "learning rate or `batch_size` and train a new model."
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
            "embedding_dim": self.embedding_dim,
            "loss": self.loss_type,
            "num_negatives": self.num_negatives,
            "power": self.power,
            "seed": self.seed,
            **vocabulary_config(self),
            **{name: getattr(self, name) for name in TRAINING_OPTIONS},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return super().from_config(
            with_tokenizer(config), custom_objects=custom_objects
        )

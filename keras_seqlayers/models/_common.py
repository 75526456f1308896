"""Helpers shared by the ready-made models: checks, padding, compile defaults."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import check_number, is_integer
from keras_seqlayers.layers.recurrent import GRU, LSTM
from keras_seqlayers.layers.recurrent.states import state_sizes
from keras_seqlayers.text.tokenization import Tokenizer
from keras_seqlayers.tokens import PAD_ID

CELLS = {"gru": GRU, "lstm": LSTM}


def check_units(units):
    """An int or a non-empty list of ints -> a list of positive ints."""
    values = [units] if is_integer(units) else units
    if not isinstance(values, (list, tuple)) or not all(map(is_integer, values)):
        raise TypeError(
            "`units` must be a positive integer or a list of positive integers "
            f"(one per recurrent layer); received units={units!r}."
        )
    if not values or any(u <= 0 for u in values):
        raise ValueError(
            "`units` must be a positive integer or a non-empty list of positive "
            f"integers (one per recurrent layer); received units={units!r}."
        )
    return [int(u) for u in values]


def optimizer_with_clipnorm(optimizer, clipnorm):
    """A named optimizer (or None: Adam) built with `clipnorm`; instances as is."""
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    optimizer = keras.optimizers.get("adam" if optimizer is None else optimizer)
    config = optimizer.get_config()
    config["clipnorm"] = clipnorm
    return type(optimizer).from_config(config)


def log_softmax(logits):
    logits = np.asarray(logits, np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def pad(sequences, length=None):
    length = length or max(len(s) for s in sequences)
    out = np.full((len(sequences), length), PAD_ID, "int32")
    for row, seq in zip(out, sequences, strict=True):
        row[: len(seq)] = seq
    return out


def stack_step(recurrent_layers, inputs, states):
    """One time step through a stack of our recurrent layers.

    Uses each cell's own `project_inputs` and `step` (the math the engine's
    loop runs), so sampling and decoding carry the state from step to step
    instead of re-reading the whole prefix.
    """
    new_states = []
    x = inputs
    for layer, state in zip(recurrent_layers, states, strict=True):
        cell = layer.cell
        projected = cell.project_inputs(ops.cast(x, layer.compute_dtype))
        state, _ = cell.step(projected, list(state), cell.recurrent_weights())
        new_states.append(state)
        x = state[0]
    return x, new_states


def zero_states(recurrent_layers, batch_size):
    return [
        [ops.zeros((batch_size, size)) for size in state_sizes(layer.cell)]
        for layer in recurrent_layers
    ]


def check_clipnorm(clipnorm):
    return check_number("clipnorm", clipnorm, inclusive=False, allow_none=True)


class CompileDefaults:
    """`compile()` defaults for the sequence models: clipped Adam, masked loss.

    The model sets `clipnorm`. Saved models are compiled again on loading
    with the optimizer and loss they were saved with.
    """

    def compile(self, optimizer=None, loss=None, **kwargs):
        """`keras.Model.compile` with sequence-model defaults.

        Args:
            optimizer: an optimizer name (default Adam) built with
                `clipnorm=self.clipnorm`, or an optimizer instance, used as
                configured.
            loss: default sparse categorical cross-entropy from logits that
                ignores `<PAD>` targets.
            **kwargs: other `keras.Model.compile` arguments.
        """
        if loss is None:
            loss = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, ignore_class=PAD_ID
            )
        if optimizer is None:
            optimizer = "adam"
        if (
            not isinstance(optimizer, keras.optimizers.Optimizer)
            and self.clipnorm is not None
        ):
            optimizer = optimizer_with_clipnorm(optimizer, self.clipnorm)
        super().compile(optimizer=optimizer, loss=loss, **kwargs)

    def compile_from_config(self, config):
        # Keras skips custom compile() methods on loading; ours accepts
        # exactly the saved arguments, so it can be called.
        config = keras.saving.deserialize_keras_object(config)
        self.compile(**config)
        if self.built:
            self.optimizer.build(self.trainable_variables)


def updates_in_place(model):
    """Whether a step may update the model's variables itself, inside XLA.

    That needs the TensorFlow backend (variables assigned inside the step),
    XLA (for in-place scatter-adds, see
    `keras_seqlayers.layers.embedding._slices.scatter_add`) and one replica
    (each replica would update only its own copy).
    """
    return (
        keras.backend.backend() == "tensorflow"
        and model.jit_compile
        and model.distribute_strategy.num_replicas_in_sync == 1
    )


def is_plain(optimizer, optimizer_class):
    """Whether `optimizer` is exactly `optimizer_class`'s update, nothing more.

    No subclass, weight decay, clipping, EMA, loss scaling or gradient
    accumulation.
    """
    return (
        type(optimizer) is optimizer_class
        and optimizer.weight_decay is None
        and optimizer.clipnorm is None
        and optimizer.clipvalue is None
        and optimizer.global_clipnorm is None
        and not optimizer.use_ema
        and optimizer.loss_scale_factor is None
        and optimizer.gradient_accumulation_steps is None
    )


def track_loss(model, loss, batch_size):
    """Feeds the model's "loss" tracker as Keras's own step does.

    That is the batch's loss, weighted by its number of examples.
    """
    tracker = next(m for m in model.metrics if m.name == "loss")
    tracker.update_state(loss, sample_weight=batch_size)


# gensim `Word2Vec` arguments and attributes, with what a user writes here
# instead. Refused with this message rather than accepted as aliases: one
# spelling per option keeps configs, saved models and docs unambiguous.
GENSIM_NAMES = {
    "wv": "`wv` is called `vectors` here (a `ksl.embeddings.WordVectors`)",
    "vector_size": "`vector_size` is called `embedding_dim` here",
    "negative": "`negative` is called `num_negatives` here",
    "ns_exponent": "`ns_exponent` is called `power` here",
    "alpha": "`alpha` (the initial learning rate) is called `learning_rate` here",
    "min_alpha": "`min_alpha` is called `min_learning_rate` here",
    "hs": (
        "`hs` is chosen with `loss` here: `loss='hierarchical_softmax'` "
        "(gensim's hs=1) or `loss='negative_sampling'` (hs=0, the default)"
    ),
    "sg": (
        "`sg` is not offered: the model is skip-gram (gensim's sg=1); CBOW "
        "(sg=0) is not offered"
    ),
    "sentences": (
        "`sentences` is called `corpus` here: `from_corpus(corpus, ...)` "
        "builds the vocabulary and, given `epochs`, trains"
    ),
    "corpus_iterable": (
        "`corpus_iterable` is called `corpus` here: `from_corpus(corpus, ...)` "
        "builds the vocabulary and, given `epochs`, trains"
    ),
    "corpus_file": (
        "`corpus_file` is called `corpus` here: `from_corpus(path, ...)` "
        "streams the file (or a glob pattern's files, or a "
        "`ksl.text.LineCorpus`) a batch of lines at a time, where a "
        "`tf.data.TextLineDataset` corpus would have its ids held in memory"
    ),
    "workers": (
        "`workers` is not offered: a training step is one XLA computation, "
        "which on a CPU runs on one core while the input pipeline runs "
        "beside it"
    ),
    "max_vocab_size": (
        "`max_vocab_size` is not offered (gensim prunes while counting); "
        "`max_size` of `from_corpus` caps the final vocabulary, reserved "
        "tokens included"
    ),
    "max_final_vocab": (
        "`max_final_vocab` is `max_size` of `from_corpus` here, which counts "
        "the 3 reserved tokens too"
    ),
    "batch_words": (
        "`batch_words` is not offered: `fit`'s `batch_size` counts skip-gram "
        "pairs per step"
    ),
    "compute_loss": (
        "`compute_loss` is not offered: the loss is always in the history `fit` returns"
    ),
}


def refuse_gensim_names(cls_name, kwargs, names=GENSIM_NAMES):
    """Raises `TypeError` for a gensim argument in `kwargs`, naming ours."""
    for name in kwargs:
        if name in names:
            raise TypeError(f"{cls_name} got {name}={kwargs[name]!r}: {names[name]}.")


def gensim_attribute(name, names=GENSIM_NAMES):
    """A property refusing gensim's attribute `name` with the message above."""

    def refuse(self):
        raise AttributeError(f"{type(self).__name__} has no `{name}`: {names[name]}.")

    return property(refuse, doc=f"Not offered: {names[name]}.")


def check_rereadable(corpus):
    """Raises `ValueError` if `corpus` is a one-shot iterator.

    `from_corpus` reads a corpus it trains on twice: for the vocabulary, then
    for training, which would find an exhausted iterator empty.
    """
    if hasattr(corpus, "__next__"):
        raise ValueError(
            "`corpus` is read twice when `epochs` is given (vocabulary, then "
            "training), so it must be re-iterable (a list, a `tf.data.Dataset`); "
            f"received a one-shot iterator {type(corpus).__name__}. Pass "
            "`list(corpus)`, or build with `from_corpus` and `fit` separately "
            "on a fresh iterator."
        )


def vocabulary_config(model):
    """A word-vector model's words, counts and tokenizer, for `get_config`.

    The tokenizer is kept as its settings (plain JSON, safe_mode-proof).
    """
    tokenizer = model.tokenizer
    return {
        "words": model.words,
        "counts": model.counts,
        "tokenizer": None if tokenizer is None else tokenizer.get_config(),
    }


def with_tokenizer(config):
    """A copy of `config` whose tokenizer settings are a `Tokenizer` again."""
    config = dict(config)
    if config.get("tokenizer") is not None:
        config["tokenizer"] = Tokenizer.from_config(config["tokenizer"])
    return config

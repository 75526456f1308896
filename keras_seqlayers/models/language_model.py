"""A character- or word-level recurrent language model that can sample text."""

import math

import keras
import numpy as np
from keras import ops

from keras_seqlayers._random import numpy_generator
from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_number,
    check_positive_int,
    check_rate,
    check_seed,
)
from keras_seqlayers.models._common import (
    CELLS,
    CompileDefaults,
    check_clipnorm,
    check_units,
    log_softmax,
    pad,
    stack_step,
)
from keras_seqlayers.models._tokens import (
    EOS_ID,
    LEVELS,
    PAD_ID,
    UNK_ID,
    TokenCodec,
    build_vocabulary,
    check_vocabulary,
)
from keras_seqlayers.registration import register
from keras_seqlayers.text.tokenization import SPLIT_MODES


@register
class LanguageModel(CompileDefaults, keras.Model):
    """Recurrent language model: embedding, GRU/LSTM stack, softmax over tokens.

    Models `p(y_t | y_<t)` over a character or word vocabulary. Each text is
    read as `<EOS> y_1 ... y_n` and trained to predict `y_1 ... y_n <EOS>`:
    `<EOS>` both starts and ends a sequence, so sampling from an empty prompt
    starts at `<EOS>` and stops when the model predicts `<EOS>`. Tokens not in
    the vocabulary are read as `<UNK>`; `<PAD>` (id 0) pads batches and is
    masked out of the recurrence and the loss.

    Called on int token ids `(batch, time)` it returns the logits
    `(batch, time, vocab_size)` of the next token at every step (the
    softmax is applied by the loss, by `perplexity` and by `sample`).
    `compile()` defaults to Adam with gradient clipping (`clipnorm`) and
    sparse cross-entropy from logits ignoring `<PAD>`, so plain
    `model.compile(); model.fit(*model.training_data(texts))` trains it.

    Args:
        vocabulary: a `ksl.text.Vocabulary` or a list of tokens in id order
            starting with `<PAD>`, `<UNK>`, `<EOS>` (see `from_texts`). At the
            character level a space is the token `"▁"` and a newline `"↵"`.
        level: `"char"` (one token per character) or `"word"`.
        embedding_dim: size of the token embeddings.
        units: an int, or a list of ints for a stack of recurrent layers
            (each feeds its sequence to the next).
        cell: `"gru"` (`ksl.layers.GRU`) or `"lstm"` (`ksl.layers.LSTM`).
        dropout: dropout rate before each recurrent layer and before the
            output layer, in [0, 1).
        clipnorm: gradient-norm clipping (a finite number > 0) of the
            optimizer that `compile` builds when given an optimizer name (or
            none); `None` disables it.
        lowercase: lower-case text before encoding.
        split: word-level `ksl.text.Tokenizer` split mode (`"unicode_script"`
            keeps punctuation as tokens); unused at the character level.
        **kwargs: `keras.Model` arguments (`name`, `trainable`).

    Example:

    >>> model = LanguageModel.from_texts(["abc", "abd"], units=8)
    >>> model.compile()
    >>> x, y = model.training_data(["abc", "abd"])
    >>> _ = model.fit(x, y, epochs=1, verbose=0)
    >>> text = model.sample(max_length=5, seed=0)
    >>> set(text) <= set("abcd")
    True

    Reference:
        Mikolov et al., "Recurrent neural network based language model",
        2010; Graves, "Generating Sequences With Recurrent Neural Networks",
        2013; Karpathy, "The Unreasonable Effectiveness of Recurrent Neural
        Networks", 2015.
    """

    def __init__(
        self,
        vocabulary,
        level="char",
        embedding_dim=64,
        units=128,
        cell="gru",
        dropout=0.0,
        clipnorm=1.0,
        lowercase=False,
        split="unicode_script",
        **kwargs,
    ):
        vocabulary = check_vocabulary(vocabulary)
        check_choice("level", level, LEVELS)
        embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        units = check_units(units)
        check_choice("cell", cell, tuple(CELLS))
        dropout = check_rate("dropout", dropout)
        clipnorm = check_clipnorm(clipnorm)
        lowercase = check_bool("lowercase", lowercase)
        check_choice("split", split, SPLIT_MODES)

        size = len(vocabulary)
        embedding = keras.layers.Embedding(size, embedding_dim, name="embedding")
        recurrent_layers = [
            CELLS[cell](u, return_sequences=True, return_state=True, name=f"{cell}_{i}")
            for i, u in enumerate(units)
        ]
        dropouts = [
            keras.layers.Dropout(dropout, name=f"dropout_{i}")
            for i in range(len(units) + 1)
        ]
        output_layer = keras.layers.Dense(size, name="logits")

        tokens = keras.Input((None,), dtype="int32", name="tokens")
        mask = ops.not_equal(tokens, PAD_ID)
        x = embedding(tokens)
        for layer, drop in zip(recurrent_layers, dropouts, strict=False):
            x = layer(drop(x), mask=mask)[0]
        logits = output_layer(dropouts[-1](x))
        super().__init__(inputs=tokens, outputs=logits, **kwargs)

        self.vocabulary = vocabulary
        self.level = level
        self.embedding_dim = embedding_dim
        self.units = units
        self.cell = cell
        self.dropout = float(dropout)
        self.clipnorm = clipnorm
        self.lowercase = lowercase
        self.split = split
        self.embedding = embedding
        self.recurrent_layers = recurrent_layers
        self.output_layer = output_layer
        self._codec = TokenCodec(vocabulary, level, lowercase, split)

    @classmethod
    def from_texts(cls, texts, level="char", min_count=1, max_size=None, **kwargs):
        """Builds the vocabulary of `texts`, then the model.

        Args:
            texts: list of strings (documents, paragraphs or names).
            level: `"char"` or `"word"`.
            min_count: tokens seen fewer times become `<UNK>`.
            max_size: largest vocabulary size, reserved tokens included.
            **kwargs: the other constructor arguments.

        Returns:
            An untrained `LanguageModel`.
        """
        vocabulary = build_vocabulary(
            texts,
            level=level,
            min_count=min_count,
            max_size=max_size,
            lowercase=kwargs.get("lowercase", False),
            split=kwargs.get("split", "unicode_script"),
        )
        return cls(vocabulary, level=level, **kwargs)

    @property
    def vocab_size(self):
        """The number of token ids (the vocabulary's length)."""
        return len(self.vocabulary)

    @property
    def vocabulary_size(self):
        """Deprecated name of `vocab_size` (it does not warn: Keras's saver
        reads every attribute of a model it saves)."""
        return self.vocab_size

    # ----- text <-> ids ------------------------------------------------
    def encode(self, texts):
        """Strings -> lists of token ids (unknown tokens -> `<UNK>`)."""
        return self._codec.encode(texts)

    def decode(self, ids):
        """Token ids -> a string (`<PAD>` dropped)."""
        return self._codec.decode(ids)

    def training_data(self, texts, sequence_length=None):
        """Inputs and next-token targets for `fit`.

        Each text becomes `<EOS> y_1 ... y_n` (inputs) and `y_1 ... y_n <EOS>`
        (targets). With `sequence_length=None` there is one row per text,
        right-padded with `<PAD>`; otherwise the texts are chained
        (`<EOS> text_1 <EOS> text_2 ... <EOS>`) and cut into rows of
        `sequence_length` steps, the last one padded.

        Args:
            texts: list of strings.
            sequence_length: steps per row, or None.

        Returns:
            `(x, y)`: two int32 arrays of shape `(rows, steps)`.
        """
        encoded = self.encode(texts)
        if not encoded:
            raise ValueError("`texts` must hold at least one text; received none.")
        if sequence_length is None:
            x = pad([[EOS_ID, *ids] for ids in encoded])
            y = pad([[*ids, EOS_ID] for ids in encoded], x.shape[1])
            return x, y
        sequence_length = check_positive_int("sequence_length", sequence_length)
        stream = [EOS_ID]
        for ids in encoded:
            stream.extend([*ids, EOS_ID])
        rows = math.ceil((len(stream) - 1) / sequence_length)
        starts = range(0, rows * sequence_length, sequence_length)
        # Inputs stop where targets do: the final <EOS> is only a target.
        x = [stream[:-1][i : i + sequence_length] for i in starts]
        y = [stream[i + 1 : i + 1 + sequence_length] for i in starts]
        return pad(x, sequence_length), pad(y, sequence_length)

    # ----- evaluation ----------------------------------------------------
    def perplexity(self, texts, batch_size=32):
        """Per-token perplexity of `texts`: `exp(mean NLL)`.

        The mean is over every predicted token of every text, the closing
        `<EOS>` included (`n + 1` predictions for a text of `n` tokens), each
        text read from a zero state after `<EOS>`. Unknown tokens count as
        `<UNK>`.

        Args:
            texts: list of strings (held-out text).
            batch_size: texts per forward pass.

        Returns:
            A Python float.
        """
        batch_size = check_positive_int("batch_size", batch_size)
        encoded = self.encode(texts)
        if not encoded:
            raise ValueError("`texts` must hold at least one text; received none.")
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
        total, count = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = [encoded[i] for i in order[start : start + batch_size]]
            x = pad([[EOS_ID, *ids] for ids in batch])
            y = pad([[*ids, EOS_ID] for ids in batch], x.shape[1])
            log_probs = log_softmax(self.predict_on_batch(x))
            picked = np.take_along_axis(log_probs, y[..., None], axis=-1)[..., 0]
            real = y != PAD_ID
            total -= float(picked[real].sum())
            count += int(real.sum())
        return math.exp(total / count)

    # ----- sampling ------------------------------------------------------
    def _run(self, ids):
        """Reads `ids` `(1, time)`; returns the last logits and the states."""
        x = self.embedding(ids)
        states = []
        for layer in self.recurrent_layers:
            x, *state = layer(x)
            states.append(state)
        return self.output_layer(x[:, -1]), states

    def sample(
        self,
        prompt="",
        max_length=100,
        temperature=1.0,
        seed=None,
        allow_unknown=False,
    ):
        """Generates text by feeding each sampled token back as the next input.

        The prompt (after `<EOS>`) is read once; after that each step runs
        one recurrent step from the carried state. Tokens are drawn from
        `softmax(logits / temperature)` with `<PAD>` (and `<UNK>` unless
        `allow_unknown`) removed; drawing `<EOS>` ends the text.

        Args:
            prompt: text to continue (may be empty).
            max_length: the most tokens generated after the prompt.
            temperature: a finite number > 0; below 1 sharpens the
                distribution, above 1 flattens it.
            seed: int for reproducible samples (NumPy generator), or None
                (drawn from Python's `random`, which
                `keras.utils.set_random_seed` seeds).
            allow_unknown: whether `<UNK>` may be generated (written
                `"<UNK>"`).

        Returns:
            The prompt followed by the generated continuation (a string).
        """
        if not isinstance(prompt, str):
            raise TypeError(f"`prompt` must be a string; received {prompt!r}.")
        max_length = check_positive_int("max_length", max_length)
        temperature = check_number("temperature", temperature, inclusive=False)
        seed = check_seed(seed)
        rng = numpy_generator(seed)
        banned = [PAD_ID] if allow_unknown else [PAD_ID, UNK_ID]
        ids = [EOS_ID, *self.encode([prompt])[0]]
        logits, states = self._run(np.array([ids], "int32"))
        generated = []
        for _ in range(max_length):
            scores = np.asarray(ops.convert_to_numpy(logits), np.float64)[0]
            scores = scores / temperature
            scores[banned] = -np.inf
            probs = np.exp(scores - scores.max())
            probs /= probs.sum()
            token = int(rng.choice(len(probs), p=probs))
            if token == EOS_ID:
                break
            generated.append(token)
            x = self.embedding(np.array([token], "int32"))
            x, states = stack_step(self.recurrent_layers, x, states)
            logits = self.output_layer(x)
        continuation = self.decode(generated)
        if self.level == "word" and prompt and continuation:
            return f"{prompt} {continuation}"
        return prompt + continuation

    # ----- serialization -------------------------------------------------
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "vocabulary": list(self.vocabulary),
            "level": self.level,
            "embedding_dim": self.embedding_dim,
            "units": list(self.units),
            "cell": self.cell,
            "dropout": self.dropout,
            "clipnorm": self.clipnorm,
            "lowercase": self.lowercase,
            "split": self.split,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

"""Encoder-decoder (sequence to sequence) model on the package's GRU/LSTM."""

import heapq

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_positive_int,
    check_rate,
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
    TokenCodec,
    build_vocabulary,
    check_vocabulary,
)
from keras_seqlayers.registration import register
from keras_seqlayers.text.tokenization import SPLIT_MODES

ATTENTION = ("luong", None)


@register
class LuongAttention(keras.layers.Layer):
    """Luong's "general" attention of decoder states over encoder states.

    `score(h_t, h̄_s) = h_t · W_a h̄_s`, `α_t = softmax_s(score)` over the
    unmasked source steps, `c_t = Σ_s α_ts h̄_s`, and the attentional state
    `h̃_t = tanh(W_c [c_t; h_t])`. Without input feeding, so the scores of
    all decoder steps come from one batched product (teacher forcing stays
    parallel over time).

    Args:
        units: size of the attentional state `h̃_t`.
        **kwargs: base layer arguments.

    Call arguments:
        inputs: list `[query, values, values_mask]`: decoder states
            `(batch, T_y, d_q)`, encoder states `(batch, T_x, d_v)` and a
            boolean mask `(batch, T_x)` of the real source steps.
        return_weights: also return the attention weights `(batch, T_y, T_x)`.

    Returns:
        `h̃` of shape `(batch, T_y, units)` (and the weights if asked).

    Reference:
        Luong, Pham and Manning, "Effective Approaches to Attention-based
        Neural Machine Translation", 2015.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        units = check_positive_int("units", units)
        self.units = units
        # The decoder's time mask passes through; the source mask is an input.
        self.supports_masking = True

    def build(self, input_shape):
        query_shape, values_shape, _ = input_shape
        self.score_kernel = self.add_weight(
            shape=(values_shape[-1], query_shape[-1]),
            initializer="glorot_uniform",
            name="score_kernel",
        )
        self.combine_kernel = self.add_weight(
            shape=(values_shape[-1] + query_shape[-1], self.units),
            initializer="glorot_uniform",
            name="combine_kernel",
        )

    def call(self, inputs, return_weights=False):
        query, values, values_mask = inputs
        keys = ops.matmul(values, self.score_kernel)
        scores = ops.matmul(query, ops.transpose(keys, (0, 2, 1)))
        # Masked source steps get a large negative score (not -inf, which
        # would turn an all-masked row into NaN).
        scores = ops.where(
            ops.expand_dims(values_mask, 1), scores, ops.cast(-1e4, scores.dtype)
        )
        weights = ops.softmax(scores, axis=-1)
        context = ops.matmul(weights, values)
        attended = ops.tanh(
            ops.matmul(ops.concatenate([context, query], axis=-1), self.combine_kernel)
        )
        return (attended, weights) if return_weights else attended

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else mask[0]

    def compute_output_shape(self, input_shape):
        query_shape = input_shape[0]
        return (*query_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@register
class Seq2Seq(CompileDefaults, keras.Model):
    """Encoder-decoder for sequences of different lengths (`T_x != T_y`).

    The encoder (embedding, stack of `ksl.layers.GRU`/`LSTM`) reads the
    source; its final states start the decoder stack, level by level. The
    decoder reads `<EOS> y_1 ... y_n` and predicts `y_1 ... y_n <EOS>`
    (teacher forcing: in training the true previous token is the input).
    With `attention="luong"` each decoder state also attends over all
    encoder states (`LuongAttention`) before the softmax.

    Called on `[source_ids, decoder_input_ids]` (int, `(batch, T_x)` and
    `(batch, T_y)`, `<PAD>`-padded on the right) it returns the logits
    `(batch, T_y, target vocab_size)`. `generate` decodes greedily
    (pure `keras.ops`, so it can be exported as a serving endpoint);
    `translate` works on strings, greedily or with beam search.

    Args:
        source_vocabulary: a `ksl.text.Vocabulary` or a token list in id
            order starting with `<PAD>`, `<UNK>`, `<EOS>` (see `from_pairs`).
        target_vocabulary: the same for the outputs.
        level: `"char"` or `"word"`, for both sides.
        embedding_dim: size of the token embeddings.
        units: an int, or a list of ints for stacked encoder and decoder
            layers (decoder level `i` starts from encoder level `i`'s state).
        cell: `"gru"` or `"lstm"`.
        attention: `"luong"` or None.
        dropout: dropout before each recurrent layer and the output layer.
        clipnorm: gradient-norm clipping (a finite number > 0) of the optimizer
            `compile` builds from a name (default Adam); None disables it.
        lowercase: lower-case the source text before encoding.
        split: word-level tokenizer split mode.
        max_output_length: default number of decoding steps.
        **kwargs: `keras.Model` arguments (`name`, `trainable`).

    Example:

    >>> pairs = [("ab", "ba"), ("ba", "ab"), ("aab", "baa")]
    >>> model = Seq2Seq.from_pairs(pairs, units=8, max_output_length=4)
    >>> model.compile()
    >>> x, y = model.training_data(pairs)
    >>> _ = model.fit(x, y, epochs=1, verbose=0)
    >>> len(model.translate(["ab"]))
    1

    Reference:
        Sutskever, Vinyals and Le, "Sequence to Sequence Learning with Neural
        Networks", 2014; Cho et al., "Learning Phrase Representations using
        RNN Encoder-Decoder for Statistical Machine Translation", 2014;
        Luong, Pham and Manning, 2015.
    """

    def __init__(
        self,
        source_vocabulary,
        target_vocabulary,
        level="char",
        embedding_dim=32,
        units=128,
        cell="gru",
        attention="luong",
        dropout=0.0,
        clipnorm=1.0,
        lowercase=False,
        split="unicode_script",
        max_output_length=64,
        **kwargs,
    ):
        source_vocabulary = check_vocabulary(source_vocabulary, "source_vocabulary")
        target_vocabulary = check_vocabulary(target_vocabulary, "target_vocabulary")
        check_choice("level", level, LEVELS)
        embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        units = check_units(units)
        check_choice("cell", cell, tuple(CELLS))
        check_choice("attention", attention, ATTENTION)
        dropout = check_rate("dropout", dropout)
        clipnorm = check_clipnorm(clipnorm)
        lowercase = check_bool("lowercase", lowercase)
        check_choice("split", split, SPLIT_MODES)
        max_output_length = check_positive_int("max_output_length", max_output_length)

        layer = CELLS[cell]
        source_embedding = keras.layers.Embedding(
            len(source_vocabulary), embedding_dim, name="source_embedding"
        )
        target_embedding = keras.layers.Embedding(
            len(target_vocabulary), embedding_dim, name="target_embedding"
        )
        encoder_layers = [
            layer(u, return_sequences=True, return_state=True, name=f"encoder_{i}")
            for i, u in enumerate(units)
        ]
        decoder_layers = [
            layer(u, return_sequences=True, return_state=True, name=f"decoder_{i}")
            for i, u in enumerate(units)
        ]
        attention_layer = (
            LuongAttention(units[-1], name="attention") if attention else None
        )
        output_layer = keras.layers.Dense(len(target_vocabulary), name="logits")
        n = len(units)
        drops = [
            keras.layers.Dropout(dropout, name=f"dropout_{i}") for i in range(2 * n + 1)
        ]

        source = keras.Input((None,), dtype="int32", name="source")
        decoder_inputs = keras.Input((None,), dtype="int32", name="decoder_inputs")
        source_mask = ops.not_equal(source, PAD_ID)
        target_mask = ops.not_equal(decoder_inputs, PAD_ID)
        x = source_embedding(source)
        states = []
        for rnn, drop in zip(encoder_layers, drops[:n], strict=True):
            x, *state = rnn(drop(x), mask=source_mask)
            states.append(state)
        encoded = x
        y = target_embedding(decoder_inputs)
        for rnn, drop, state in zip(
            decoder_layers, drops[n : 2 * n], states, strict=True
        ):
            y = rnn(drop(y), mask=target_mask, initial_state=state)[0]
        if attention_layer is not None:
            y = attention_layer([y, encoded, source_mask])
        logits = output_layer(drops[-1](y))
        super().__init__(inputs=[source, decoder_inputs], outputs=logits, **kwargs)

        self.source_vocabulary = source_vocabulary
        self.target_vocabulary = target_vocabulary
        self.level = level
        self.embedding_dim = embedding_dim
        self.units = units
        self.cell = cell
        self.attention = attention
        self.dropout = float(dropout)
        self.clipnorm = clipnorm
        self.lowercase = lowercase
        self.split = split
        self.max_output_length = max_output_length
        self.source_embedding = source_embedding
        self.target_embedding = target_embedding
        self.encoder_layers = encoder_layers
        self.decoder_layers = decoder_layers
        self.attention_layer = attention_layer
        self.output_layer = output_layer
        self._source_codec = TokenCodec(source_vocabulary, level, lowercase, split)
        self._target_codec = TokenCodec(target_vocabulary, level, False, split)

    @classmethod
    def from_pairs(cls, pairs, level="char", min_count=1, max_size=None, **kwargs):
        """Builds both vocabularies from `(source, target)` string pairs.

        Args:
            pairs: list of `(source, target)` strings.
            level: `"char"` or `"word"`.
            min_count: tokens seen fewer times become `<UNK>`.
            max_size: largest size of each vocabulary, reserved included.
            **kwargs: the other constructor arguments.

        Returns:
            An untrained `Seq2Seq`.
        """
        sources, targets = zip(*pairs, strict=True)
        split = kwargs.get("split", "unicode_script")
        common = {"level": level, "min_count": min_count, "max_size": max_size}
        source_vocabulary = build_vocabulary(
            sources, lowercase=kwargs.get("lowercase", False), split=split, **common
        )
        target_vocabulary = build_vocabulary(targets, split=split, **common)
        return cls(source_vocabulary, target_vocabulary, level=level, **kwargs)

    # ----- data ------------------------------------------------------------
    def encode_sources(self, texts):
        """Source strings -> a `<PAD>`-padded int32 array `(batch, T_x)`."""
        encoded = self._source_codec.encode(texts)
        if not encoded:
            raise ValueError("`texts` must hold at least one text; received none.")
        return pad([ids or [PAD_ID] for ids in encoded])

    def training_data(self, pairs):
        """`([source_ids, decoder_input_ids], target_ids)` for `fit`.

        Decoder inputs are `<EOS> y_1 ... y_n`, targets `y_1 ... y_n <EOS>`
        (teacher forcing), all right-padded with `<PAD>`.

        Args:
            pairs: list of `(source, target)` strings.

        Returns:
            `([x_source, x_decoder], y)`, int32 arrays.
        """
        if not pairs:
            raise ValueError(
                "`pairs` must hold at least one (source, target) pair; received none."
            )
        sources, targets = zip(*pairs, strict=True)
        source = self.encode_sources(sources)
        encoded = self._target_codec.encode(targets)
        decoder_inputs = pad([[EOS_ID, *ids] for ids in encoded])
        decoder_targets = pad([[*ids, EOS_ID] for ids in encoded])
        return [source, decoder_inputs], decoder_targets

    # ----- decoding ----------------------------------------------------------
    def _encode(self, source):
        source = ops.convert_to_tensor(source, "int32")
        mask = ops.not_equal(source, PAD_ID)
        x = self.source_embedding(source)
        states = []
        for rnn in self.encoder_layers:
            x, *state = rnn(x, mask=mask)
            states.append(state)
        return x, states, mask

    def _decode_step(self, tokens, states, encoded, mask):
        """Logits of the next token after `tokens` `(batch,)`, new states."""
        y, states = stack_step(
            self.decoder_layers, self.target_embedding(tokens), states
        )
        if self.attention_layer is not None:
            y = self.attention_layer([ops.expand_dims(y, 1), encoded, mask])[:, 0]
        return self.output_layer(y), states

    def generate(self, source_ids, max_length=None):
        """Greedy decoding of a batch of source ids, in `keras.ops` only.

        At each step the most likely token (never `<PAD>`) is fed back as
        the next decoder input, from the carried decoder state. A row stops
        at its first `<EOS>`; later positions hold `<PAD>`. The loop has a
        fixed trip count, so this traces into a graph (for export).

        Args:
            source_ids: int tensor `(batch, T_x)`, `<PAD>`-padded.
            max_length: decoding steps (default `max_output_length`).

        Returns:
            int32 tensor `(batch, max_length)`: tokens, `<EOS>`, then `<PAD>`.
        """
        max_length = self.max_output_length if max_length is None else max_length
        max_length = check_positive_int("max_length", max_length)
        encoded, states, mask = self._encode(source_ids)
        batch = ops.shape(encoded)[0]
        tokens = ops.full((batch,), EOS_ID, "int32")
        done = ops.zeros((batch,), "bool")
        # Adds -inf-like scores to <PAD> so that it is never chosen.
        ban = ops.one_hot(PAD_ID, len(self.target_vocabulary)) * -1e9
        outputs = []
        for _ in range(max_length):
            logits, states = self._decode_step(tokens, states, encoded, mask)
            tokens = ops.cast(
                ops.argmax(ops.cast(logits, "float32") + ban, -1), "int32"
            )
            tokens = ops.where(done, PAD_ID, tokens)
            outputs.append(tokens)
            done = ops.logical_or(done, ops.equal(tokens, EOS_ID))
        return ops.stack(outputs, axis=1)

    def _beam_search(self, source_ids, beam_width, max_length):
        """Beam search for one source row `(1, T_x)`; NumPy bookkeeping."""
        encoded, states, mask = self._encode(source_ids)
        # Hypotheses: (total log-prob, tokens, states); finished ones keep
        # their score. The beams are decoded together as one batch.
        beams = [(0.0, [], states)]
        finished = []
        for _ in range(max_length):
            k = len(beams)
            tokens = np.array([b[1][-1] if b[1] else EOS_ID for b in beams], "int32")
            batch_states = [
                [ops.concatenate([b[2][i][j] for b in beams], 0) for j in range(len(s))]
                for i, s in enumerate(beams[0][2])
            ]
            logits, new_states = self._decode_step(
                tokens,
                batch_states,
                ops.repeat(encoded, k, axis=0),
                ops.repeat(mask, k, axis=0),
            )
            log_probs = log_softmax(ops.convert_to_numpy(logits))
            log_probs[:, PAD_ID] = -np.inf
            candidates = []
            for b, (score, seq, _) in enumerate(beams):
                for token in np.argsort(-log_probs[b])[:beam_width]:
                    if token == PAD_ID:
                        continue
                    candidates.append(
                        (score + log_probs[b, token], [*seq, int(token)], b)
                    )
            beams = []
            for score, seq, b in heapq.nlargest(
                beam_width, candidates, key=lambda c: c[0]
            ):
                if seq[-1] == EOS_ID:
                    finished.append((score, seq))
                else:
                    beam_states = [
                        [s[b : b + 1] for s in level] for level in new_states
                    ]
                    beams.append((score, seq, beam_states))
            # Stop once no open hypothesis can beat the best finished one
            # (log-probabilities only decrease).
            best = max((f[0] for f in finished), default=-np.inf)
            beams = [b for b in beams if b[0] > best]
            if not beams:
                break
        finished.extend((score, seq) for score, seq, _ in beams)
        return max(finished, key=lambda f: f[0])

    def translate(self, texts, max_length=None, beam_width=1):
        """Translates strings: greedy (`beam_width=1`) or beam search.

        Beam search keeps the `beam_width` most probable partial outputs at
        each step and returns the most probable finished one (total
        log-probability, no length normalization).

        Args:
            texts: list of source strings.
            max_length: decoding steps (default `max_output_length`).
            beam_width: positive int.

        Returns:
            A list of strings (without `<EOS>`).
        """
        max_length = self.max_output_length if max_length is None else max_length
        max_length = check_positive_int("max_length", max_length)
        beam_width = check_positive_int("beam_width", beam_width)
        source = self.encode_sources(texts)
        if beam_width == 1:
            rows = ops.convert_to_numpy(self.generate(source, max_length))
        else:
            rows = [
                self._beam_search(source[i : i + 1], beam_width, max_length)[1]
                for i in range(len(source))
            ]
        out = []
        for row in rows:
            row = list(row)
            row = row[: row.index(EOS_ID)] if EOS_ID in row else row
            out.append(self._target_codec.decode(row))
        return out

    def exact_match(self, pairs, beam_width=1, batch_size=256):
        """Fraction of `(source, target)` pairs translated exactly."""
        batch_size = check_positive_int("batch_size", batch_size)
        if not pairs:
            raise ValueError(
                "`pairs` must hold at least one (source, target) pair; received none."
            )
        hits = 0
        for start in range(0, len(pairs), batch_size):
            chunk = pairs[start : start + batch_size]
            outputs = self.translate([s for s, _ in chunk], beam_width=beam_width)
            hits += sum(o == t for o, (_, t) in zip(outputs, chunk, strict=True))
        return hits / len(pairs)

    # ----- serialization -------------------------------------------------
    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "source_vocabulary": list(self.source_vocabulary),
            "target_vocabulary": list(self.target_vocabulary),
            "level": self.level,
            "embedding_dim": self.embedding_dim,
            "units": list(self.units),
            "cell": self.cell,
            "attention": self.attention,
            "dropout": self.dropout,
            "clipnorm": self.clipnorm,
            "lowercase": self.lowercase,
            "split": self.split,
            "max_output_length": self.max_output_length,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

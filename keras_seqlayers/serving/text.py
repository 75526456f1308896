"""The text endpoints: text to ids and ids to text, inside the graph.

`TextEncoder` and `TextDecoder` encode and decode as the ready-made models
do (`keras_seqlayers.models`), with TensorFlow and tensorflow-text ops only,
so `export` can put them into a SavedModel and clients of TF Serving send
and receive text. `vocabulary_encoder` picks the encoder of a text
signature.
"""

import tensorflow as tf

from keras_seqlayers.checks import check_bool, is_integer
from keras_seqlayers.text import Tokenizer, Vocabulary
from keras_seqlayers.tokens import (
    EOS_ID,
    NUM_RESERVED,
    PAD_ID,
    RESERVED,
    UNK_ID,
    token_to_char,
)


def _check_tokens(tokens, level):
    if isinstance(tokens, Vocabulary):
        tokens = tokens.words
    if isinstance(tokens, str) or not isinstance(tokens, (list, tuple)):
        raise TypeError(
            "`tokens` must be a `keras_seqlayers.text.Vocabulary` or a list of "
            f"tokens in id order; received {type(tokens).__name__}."
        )
    tokens = [str(t) for t in tokens]
    if tuple(tokens[:NUM_RESERVED]) != RESERVED:
        raise ValueError(
            f"`tokens` must start with the reserved tokens {RESERVED}; received "
            f"{tokens[:NUM_RESERVED]!r}."
        )
    if level not in ("word", "char"):
        raise ValueError(f'`level` must be "word" or "char"; received {level!r}.')
    return tokens


def _check_ids(argument, ids, size):
    ids = list(ids)
    if not all(map(is_integer, ids)):
        raise TypeError(
            f"`{argument}` must hold integer ids in [0, {size}); received {ids}."
        )
    if not all(0 <= i < size for i in ids):
        raise ValueError(
            f"`{argument}` must hold integer ids in [0, {size}); received {ids}."
        )
    return [int(i) for i in ids]


class TextEncoder:
    """In-graph text to ids, as the ready-made models encode text.

    Word level: `keras_seqlayers.text.Tokenizer(lowercase, split)` then a
    lookup table; character level: one token per Unicode character (spaces,
    newlines and other whitespace mapped to the models' stand-in tokens).
    Unknown tokens become `<UNK>`. Pass it to `export(text_encoder=...)`;
    its lookup table is exported with the model.

    Args:
        tokens: a `Vocabulary` or the token list in id order (`<PAD>`,
            `<UNK>`, `<EOS>` first), e.g. `model.vocabulary`.
        level: `"word"` or `"char"`.
        lowercase: lower-case the text first.
        split: the word-level `Tokenizer` split mode.
        prefix_ids, suffix_ids: ids put before/after every row (a language
            model reads `<EOS>` first: `prefix_ids=[2]`).

    Example:

    >>> encode = TextEncoder(["<PAD>", "<UNK>", "<EOS>", "a", "b"], level="char")
    >>> encode(["ab", "ba c"]).to_list()
    [[3, 4], [4, 3, 1, 1]]
    """

    def __init__(
        self,
        tokens,
        level="word",
        lowercase=False,
        split="whitespace",
        prefix_ids=(),
        suffix_ids=(),
    ):
        self.tokens = _check_tokens(tokens, level)
        self.level = level
        lowercase = check_bool("lowercase", lowercase)
        self.tokenizer = (
            Tokenizer(lowercase=lowercase, split=split) if level == "word" else None
        )
        self.lowercase = lowercase
        self.prefix_ids = _check_ids("prefix_ids", prefix_ids, len(self.tokens))
        self.suffix_ids = _check_ids("suffix_ids", suffix_ids, len(self.tokens))
        index = {t: i for i, t in enumerate(self.tokens)}
        if level == "char":
            # Raw characters find their stand-in token's id directly.
            for token, i in list(index.items()):
                index.setdefault(token_to_char(token), i)
        keys = list(index)
        self.table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(keys, tf.string),
                tf.constant([index[k] for k in keys], tf.int64),
            ),
            default_value=UNK_ID,
        )

    @property
    def resources(self):
        return [self.table]

    def __call__(self, texts):
        texts = tf.convert_to_tensor(texts, tf.string)
        if self.level == "word":
            pieces = self.tokenizer(texts)
        else:
            if self.lowercase:
                texts = tf.strings.lower(texts, encoding="utf-8")
            pieces = tf.strings.unicode_split(texts, "UTF-8")
        ids = pieces.with_flat_values(self.table.lookup(pieces.flat_values))
        batch = tf.shape(texts)[0]
        parts = []
        for extra in (self.prefix_ids, None, self.suffix_ids):
            if extra is None:
                parts.append(ids)
            elif extra:
                row = tf.constant([extra], tf.int64)
                parts.append(tf.RaggedTensor.from_tensor(tf.tile(row, [batch, 1])))
        return tf.concat(parts, axis=1) if len(parts) > 1 else ids


class TextDecoder:
    """In-graph ids to text: stops at the first `<EOS>`, drops `<PAD>`.

    Characters are joined without separator (stand-in tokens written back as
    the whitespace they stand for), words with single spaces.

    Args:
        tokens: a `Vocabulary` or the token list in id order.
        level: `"word"` or `"char"`.

    Example:

    >>> decode = TextDecoder(["<PAD>", "<UNK>", "<EOS>", "a", "\u2581"], "char")
    >>> [t.decode() for t in decode([[3, 4, 3, 2, 3], [4, 0, 0, 0, 0]]).numpy()]
    ['a a', ' ']
    """

    def __init__(self, tokens, level="word"):
        self.tokens = _check_tokens(tokens, level)
        self.level = level
        self.pieces = (
            [
                t if i < NUM_RESERVED else token_to_char(t)
                for i, t in enumerate(self.tokens)
            ]
            if level == "char"
            else list(self.tokens)
        )

    def __call__(self, ids):
        ids = tf.cast(tf.convert_to_tensor(ids), tf.int32)
        before_eos = tf.equal(tf.cumsum(tf.cast(ids == EOS_ID, tf.int32), axis=1), 0)
        keep = tf.logical_and(before_eos, ids != PAD_ID)
        pieces = tf.gather(tf.constant(self.pieces, tf.string), ids)
        kept = tf.ragged.boolean_mask(pieces, keep)
        return tf.strings.reduce_join(
            kept, axis=1, separator="" if self.level == "char" else " "
        )


def check_vocabulary(vocabulary):
    """Raises unless `vocabulary` is a `keras_seqlayers.text.Vocabulary`."""
    if not isinstance(vocabulary, Vocabulary):
        raise TypeError(
            "`vocabulary` must be a `keras_seqlayers.text.Vocabulary`; received "
            f"{type(vocabulary).__name__}."
        )
    return vocabulary


def vocabulary_encoder(vocabulary, text_encoder, add_eos):
    """The encoder of a text signature, and the resources to export with it.

    Returns `(encode, resources)`: `text_encoder` as given, or one made of
    `vocabulary`'s tokenizer and lookup table (appending `<EOS>` with
    `add_eos`) mapping `(batch,)` strings to ragged int64 ids.
    """
    if text_encoder is not None:
        return text_encoder, list(getattr(text_encoder, "resources", []))
    check_vocabulary(vocabulary)

    def encode(texts):
        ids = vocabulary.lookup(vocabulary.tokenizer(texts))
        if add_eos:
            eos = tf.fill(
                [tf.shape(texts)[0], 1], tf.constant(vocabulary.eos_id, tf.int64)
            )
            ids = tf.concat([ids, tf.RaggedTensor.from_tensor(eos)], axis=1)
        return ids

    return encode, [vocabulary.table]

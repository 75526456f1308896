"""Turning text into token ids and back, shared by the ready-made models.

A model keeps its vocabulary as a plain list of tokens in id order (so it
round-trips through `get_config` as JSON); `TokenCodec` gives that list its
character- or word-level reading. Reserved tokens and ids follow
`keras_seqlayers.tokens`.
"""

import collections

from keras_seqlayers.text import Tokenizer, Vocabulary
from keras_seqlayers.tokens import (
    EOS_ID,
    PAD_ID,
    RESERVED,
    UNK_ID,
    char_to_token,
    token_to_char,
)

LEVELS = ("char", "word")


def check_vocabulary(vocabulary, argument="vocabulary"):
    """A `Vocabulary` or a token list (reserved first) -> a list of str.

    `argument` is the name the caller's user passed it as.
    """
    if isinstance(vocabulary, Vocabulary):
        return vocabulary.words
    if isinstance(vocabulary, str) or not isinstance(vocabulary, (list, tuple)):
        raise TypeError(
            f"`{argument}` must be a `ksl.text.Vocabulary` or a list of tokens "
            f"in id order; received {type(vocabulary).__name__}."
        )
    vocabulary = list(vocabulary)
    if tuple(vocabulary[: len(RESERVED)]) != RESERVED or len(vocabulary) <= len(
        RESERVED
    ):
        raise ValueError(
            f"`{argument}` must start with the reserved tokens {RESERVED} and "
            f"hold at least one more token; received {vocabulary[:5]!r}"
            f"{'...' if len(vocabulary) > 5 else ''} ({len(vocabulary)} tokens)."
        )
    if len(set(vocabulary)) != len(vocabulary):
        dupes = [t for t, c in collections.Counter(vocabulary).items() if c > 1]
        raise ValueError(f"`{argument}` contains duplicates: {dupes[:10]!r}.")
    for token in vocabulary:
        if not isinstance(token, str) or not token:
            raise ValueError(
                f"`{argument}` tokens must be non-empty strings; received {token!r}."
            )
    return vocabulary


class TokenCodec:
    """Encodes text to ids and decodes ids to text for one vocabulary.

    Args:
        vocabulary: list of tokens in id order, reserved tokens first.
        level: `"char"` (one token per character) or `"word"` (tokens from
            `ksl.text.Tokenizer(lowercase, split)`, joined by spaces on
            decoding).
        lowercase: lower-case text before encoding.
        split: the `Tokenizer` split mode at the word level.
    """

    def __init__(self, vocabulary, level="char", lowercase=False, split="words"):
        self.vocabulary = list(vocabulary)
        self.level = level
        self.lowercase = lowercase
        self.index = {t: i for i, t in enumerate(self.vocabulary)}
        self.tokenizer = (
            Tokenizer(lowercase=lowercase, split=split) if level == "word" else None
        )

    def tokenize(self, texts):
        """List of strings -> list of token lists."""
        texts = list(texts)
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(
                    "`texts` must be strings; received "
                    f"{text!r} of type {type(text).__name__}."
                )
        if self.level == "word":
            return self.tokenizer.tokenize_to_lists(texts) if texts else []
        if self.lowercase:
            texts = [t.lower() for t in texts]
        return [[char_to_token(c) for c in text] for text in texts]

    def encode(self, texts, add_eos=False):
        """List of strings -> list of id lists (unknown tokens -> `<UNK>`)."""
        out = []
        for tokens in self.tokenize(texts):
            ids = [self.index.get(t, UNK_ID) for t in tokens]
            out.append([*ids, EOS_ID] if add_eos else ids)
        return out

    def decode(self, ids):
        """Id sequence -> text; `<UNK>` is written `<UNK>`, `<PAD>` dropped."""
        tokens = [self.vocabulary[int(i)] for i in ids if int(i) != PAD_ID]
        if self.level == "word":
            return " ".join(tokens)
        return "".join(t if t in RESERVED else token_to_char(t) for t in tokens)


def build_vocabulary(texts, level="char", min_count=1, max_size=None, **codec_kwargs):
    """Counts the tokens of `texts` into a `ksl.text.Vocabulary` token list."""
    codec = TokenCodec([*RESERVED, "?"], level=level, **codec_kwargs)
    counts = collections.Counter()
    for tokens in codec.tokenize(texts):
        counts.update(tokens)
    return Vocabulary.from_counts(counts, min_count=min_count, max_size=max_size).words

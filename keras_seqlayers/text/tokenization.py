"""Tokenization with tensorflow-text, usable in tf.data and in-graph."""

import tensorflow as tf
import tensorflow_text as tf_text

from keras_seqlayers.checks import check_bool, check_choice

SPLIT_MODES = ("whitespace", "unicode_script", "words")
_NON_WORD = r"[^\pL\pN\pM]+"


class Tokenizer:
    """Splits strings into tokens with tensorflow-text ops.

    Args:
        lowercase: lower-case the text first (Unicode-aware,
            `tf.strings.lower(encoding="utf-8")`).
        split: `"whitespace"` splits on Unicode whitespace only (punctuation
            stays attached: `"world."`); `"unicode_script"` also splits where
            the Unicode script changes, so punctuation becomes its own token
            (`"world", "."`); `"words"` is maximal runs of letters, digits and
            combining marks, everything else dropped (what word2vec corpora
            usually want: `"don't."` gives `"don", "t"`).

    Calling the tokenizer on a scalar string returns a 1-D string tensor; on
    a 1-D batch of strings it returns a `tf.RaggedTensor` of shape
    `(batch, None)`. It runs eagerly, inside `tf.function` and inside
    `tf.data.Dataset.map`.

    Example:

    >>> tokenizer = Tokenizer(split="words")
    >>> [t.decode() for t in tokenizer("The cat, the HAT.").numpy()]
    ['the', 'cat', 'the', 'hat']
    """

    def __init__(self, lowercase=True, split="whitespace"):
        lowercase = check_bool("lowercase", lowercase)
        check_choice("split", split, SPLIT_MODES)
        self.lowercase = lowercase
        self.split = split
        if split == "whitespace":
            self._tokenizer = tf_text.WhitespaceTokenizer()
        elif split == "unicode_script":
            self._tokenizer = tf_text.UnicodeScriptTokenizer()
        else:
            self._tokenizer = None

    def __call__(self, texts):
        texts = tf.convert_to_tensor(texts, dtype=tf.string)
        if self.lowercase:
            texts = tf.strings.lower(texts, encoding="utf-8")
        if self._tokenizer is not None:
            return self._tokenizer.tokenize(texts)
        # Any run of characters that are not letters (\pL), digits (\pN)
        # or combining marks (\pM) separates words and is dropped.
        if texts.shape.rank == 0:
            return tf_text.regex_split(texts[None], _NON_WORD)[0]
        return tf_text.regex_split(texts, _NON_WORD)

    def tokenize_to_lists(self, texts, batch_size=1024):
        """Tokenizes an iterable of Python strings into lists of `str`.

        Args:
            texts: iterable of strings (documents).
            batch_size: how many documents go through the TF ops at once.

        Returns:
            A list (one entry per document) of lists of tokens.
        """
        result = []
        batch = []
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(
                    "`texts` must contain strings; received an element of "
                    f"type {type(text).__name__}."
                )
            batch.append(text)
            if len(batch) == batch_size:
                result.extend(self._lists(batch))
                batch = []
        if batch:
            result.extend(self._lists(batch))
        return result

    def _lists(self, batch):
        return [[t.decode("utf-8") for t in row] for row in self(batch).to_list()]

    def get_config(self):
        """The constructor arguments, as a JSON-serializable dict."""
        return {"lowercase": self.lowercase, "split": self.split}

    @classmethod
    def from_config(cls, config):
        """The `Tokenizer` that `get_config` described.

        Args:
            config: a dict with the keys `get_config` returns (`lowercase`,
                `split`); missing keys take their defaults.

        Returns:
            A `Tokenizer`.

        Raises:
            TypeError: `config` is not a dict, or `lowercase` is not a bool.
            ValueError: `config` has a key other than `lowercase` and
                `split`, or `split` is not one of `SPLIT_MODES`.

        Example:

        >>> Tokenizer.from_config(Tokenizer(split="words").get_config())
        Tokenizer(lowercase=True, split='words')
        """
        if not isinstance(config, dict):
            raise TypeError(
                "`config` must be a dict with the keys ('lowercase', 'split'); "
                f"received config={config!r} of type {type(config).__name__}."
            )
        unknown = sorted(set(config) - {"lowercase", "split"})
        if unknown:
            raise ValueError(
                "`config` may only hold the keys ('lowercase', 'split'); "
                f"received config={config!r} with the unknown keys {unknown}."
            )
        return cls(**config)

    def __repr__(self):
        return f"Tokenizer(lowercase={self.lowercase}, split={self.split!r})"


def check_tokenizer(tokenizer):
    """Raises a `TypeError` unless `tokenizer` is a `Tokenizer` or None."""
    if tokenizer is not None and not isinstance(tokenizer, Tokenizer):
        raise TypeError(
            "`tokenizer` must be a `keras_seqlayers.text.Tokenizer` or None; "
            f"received tokenizer={tokenizer!r} of type {type(tokenizer).__name__}."
        )


def tokenize(texts, lowercase=True, split="whitespace"):
    """Tokenizes strings in-graph; see `Tokenizer` for the arguments.

    Args:
        texts: a string, a list of strings or a string tensor.
        lowercase: lower-case first.
        split: `"whitespace"`, `"unicode_script"` or `"words"`.

    Returns:
        A 1-D string tensor for a scalar input, otherwise a `tf.RaggedTensor`.

    Example:

    >>> tokenize(["Hello world"]).to_list()
    [[b'hello', b'world']]
    """
    return Tokenizer(lowercase=lowercase, split=split)(texts)

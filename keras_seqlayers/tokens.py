"""The package's token conventions, in one place.

Every vocabulary of this package (`keras_seqlayers.text.Vocabulary`, the
ready-made models' token lists, exported text signatures) numbers its
reserved tokens the same way: `<PAD>` = 0 (padding, masked out), `<UNK>` = 1
(any token outside the vocabulary) and `<EOS>` = 2 (end of a sentence).
Real words start at id `NUM_RESERVED`.

Skip-gram pairs and co-occurrence counts skip padding and unknown tokens by
default (`DEFAULT_DROP_IDS`) and treat `<EOS>` as a sentence boundary that no
window crosses (`DEFAULT_BOUNDARY_IDS`).

At the character level a vocabulary token holds no whitespace, so a space
and a newline are stored as visible stand-ins (SentencePiece's "▁" for the
space, "↵" for the newline) and any other whitespace character as its code
point, `<U+XXXX>`.

This module imports nothing of the package, so every other module can use
it, the serving probe included.
"""

PAD = "<PAD>"
UNK = "<UNK>"
EOS = "<EOS>"
RESERVED = (PAD, UNK, EOS)
PAD_ID, UNK_ID, EOS_ID = (RESERVED.index(token) for token in RESERVED)
NUM_RESERVED = len(RESERVED)

DEFAULT_DROP_IDS = (PAD_ID, UNK_ID)
DEFAULT_BOUNDARY_IDS = (EOS_ID,)

WHITESPACE_TOKENS = {" ": "\u2581", "\n": "\u21b5"}
_WHITESPACE_CHARS = {token: char for char, token in WHITESPACE_TOKENS.items()}


def char_to_token(char):
    """The vocabulary token of one character (whitespace as its stand-in)."""
    if char in WHITESPACE_TOKENS:
        return WHITESPACE_TOKENS[char]
    if char.isspace():
        return f"<U+{ord(char):04X}>"
    return char


def token_to_char(token):
    """The character a character-level token stands for (inverse of
    `char_to_token`); other tokens are returned unchanged."""
    if token in _WHITESPACE_CHARS:
        return _WHITESPACE_CHARS[token]
    if token.startswith("<U+") and token.endswith(">") and len(token) > 4:
        return chr(int(token[3:-1], 16))
    return token

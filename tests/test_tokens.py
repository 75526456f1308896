import inspect

import pytest

from keras_seqlayers import text, tokens
from keras_seqlayers.models._tokens import TokenCodec


def test_reserved_tokens_take_the_first_ids_of_every_vocabulary():
    vocab = text.Vocabulary.build(["b a b"])
    assert vocab.words[: tokens.NUM_RESERVED] == list(tokens.RESERVED)
    assert [vocab.token_to_id(t) for t in tokens.RESERVED] == [0, 1, 2]
    assert (tokens.PAD_ID, tokens.UNK_ID, tokens.EOS_ID) == (0, 1, 2)
    assert vocab.encode(["zzz"], add_eos=True) == [[tokens.UNK_ID, tokens.EOS_ID]]


def test_pipelines_default_to_the_conventions():
    for function, drop in (
        (text.skipgram_dataset, "drop_ids"),
        (text.cooccurrence, "ignore_ids"),
    ):
        defaults = inspect.signature(function).parameters
        assert defaults[drop].default == (tokens.PAD_ID, tokens.UNK_ID)
        assert defaults["boundary_ids"].default == (tokens.EOS_ID,)


@pytest.mark.parametrize(
    ("char", "token"),
    [(" ", "\u2581"), ("\n", "\u21b5"), ("\t", "<U+0009>"), ("a", "a")],
)
def test_whitespace_stand_ins_round_trip(char, token):
    assert tokens.char_to_token(char) == token
    assert tokens.token_to_char(token) == char


def test_character_codec_writes_whitespace_back():
    vocab = [*tokens.RESERVED, "a", "\u2581", "<U+0009>"]
    codec = TokenCodec(vocab, level="char")
    ids = codec.encode(["a a\tb"])[0]
    assert ids == [3, 4, 3, 5, tokens.UNK_ID]
    assert codec.decode(ids) == "a a\t<UNK>"

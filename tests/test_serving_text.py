"""The in-graph text endpoints (keras_seqlayers/serving/text.py) encode and
decode as the ready-made models do."""

import numpy as np

from keras_seqlayers import serving


def test_text_encoder_and_decoder_match_the_models_codec():
    from keras_seqlayers.models._tokens import TokenCodec

    tokens = ["<PAD>", "<UNK>", "<EOS>", "a", "b", "\u2581", "<U+0009>", "é"]
    codec = TokenCodec(tokens, level="char", lowercase=True)
    encode = serving.TextEncoder(tokens, level="char", lowercase=True)
    texts = ["Ab a\tÉ", "zb", ""]
    assert encode(texts).to_list() == codec.encode(texts)
    decode = serving.TextDecoder(tokens, level="char")
    ids = [[3, 5, 6, 7, 2, 3], [1, 4, 0, 0, 0, 0]]
    out = [t.decode() for t in decode(np.array(ids)).numpy()]
    # TokenCodec.decode keeps <EOS>; served text stops at it, as translate does.
    assert out == [codec.decode(ids[0][:4]), codec.decode(ids[1])]
    words = serving.TextDecoder(tokens, level="word")
    assert words(np.array([[3, 4, 0]])).numpy().tolist() == [b"a b"]

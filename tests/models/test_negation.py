"""The known failure of averaged word vectors on negation, fixed by the RNN.

In the "contrast" sentences of `negation_sentiment`, the two sentences of a
pair ("... good and not bad" / "... bad and not good") hold exactly the same
words with opposite labels: any bag-of-words model gives both the same
prediction, so it is right on exactly half of them, by construction. A
recurrent model reads the order and learns them.
"""

import keras
import numpy as np

from keras_seqlayers.datasets import negation_sentiment
from keras_seqlayers.models import AveragedEmbeddingClassifier, RecurrentClassifier
from keras_seqlayers.text import Vocabulary


def _encode(vocabulary, texts):
    return keras.utils.pad_sequences(
        vocabulary.encode(texts), padding="post", dtype="int32"
    )


def _train(model, x, y, epochs):
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
    return model


def test_averaging_is_at_chance_on_contrast_pairs_and_the_rnn_is_not():
    texts, labels, _ = negation_sentiment(1200, seed=0)
    vocabulary = Vocabulary.build(texts)
    x = _encode(vocabulary, texts)
    test_texts, test_labels, test_kinds = negation_sentiment(400, seed=1)
    x_test = _encode(vocabulary, test_texts)
    test_kinds = np.array(test_kinds)
    contrast = test_kinds == "contrast"
    negated = test_kinds == "negated"
    assert contrast.sum() >= 100
    assert negated.sum() >= 50

    averaged = _train(AveragedEmbeddingClassifier(len(vocabulary), 16, 2), x, labels, 8)
    recurrent = _train(
        RecurrentClassifier(len(vocabulary), 16, 2, units=16), x, labels, 8
    )

    averaged_probs = keras.ops.convert_to_numpy(averaged(x_test))
    # Both sentences of a contrast pair (consecutive rows) have the same words:
    # the averaged model cannot tell them apart...
    pairs = averaged_probs[contrast].reshape(-1, 2, 2)
    np.testing.assert_allclose(pairs[:, 0], pairs[:, 1], atol=1e-5)
    averaged_right = averaged_probs.argmax(-1) == test_labels
    # ...so it is right on exactly one of each pair: chance.
    assert averaged_right[contrast].mean() == 0.5

    recurrent_right = (
        keras.ops.convert_to_numpy(recurrent(x_test)).argmax(-1) == test_labels
    )
    assert recurrent_right[contrast].mean() >= 0.9
    assert recurrent_right[negated].mean() >= 0.9
    assert recurrent_right.mean() >= 0.9

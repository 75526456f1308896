"""The last stage of the package's tf.data pipelines."""

import tensorflow as tf


def prefetch_untuned(ds):
    """`ds.prefetch(tf.data.AUTOTUNE)`, with tf.data's autotuning off.

    Deleting an iterator waits for the autotuning thread: at the end of
    `fit` that stalled `Word2Vec` 3-7 s in about one fit of four and
    `GloVe` about 1 s in three of eight. These pipelines are cheap next to
    training and need no tuning (prefetch still sizes its own buffer).
    Options carry on to datasets chained after the result.
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)

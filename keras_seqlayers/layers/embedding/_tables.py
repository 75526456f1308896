"""The two embedding tables of the skip-gram objectives."""


def add_word_tables(
    layer, output_initializer, output_name="output_embeddings", output_rows=None
):
    """Adds `input_embeddings` and an output table to `layer`, and returns both.

    Both are `layer.embedding_dim` wide. The input table holds `e`, one row
    per word, initialized with `layer.embeddings_initializer`; the output
    table has `output_rows` rows (default one per word): `θ` for the full
    softmax and negative sampling, the Huffman tree's inner nodes for the
    hierarchical softmax.
    """
    vocab_size, dim = layer.vocab_size, layer.embedding_dim
    inputs = layer.add_weight(
        name="input_embeddings",
        shape=(vocab_size, dim),
        initializer=layer.embeddings_initializer,
    )
    outputs = layer.add_weight(
        name=output_name,
        shape=(vocab_size if output_rows is None else output_rows, dim),
        initializer=output_initializer,
    )
    return inputs, outputs

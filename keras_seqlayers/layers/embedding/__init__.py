"""Word-embedding layers: skip-gram, negative sampling, hierarchical softmax,
GloVe and debias."""

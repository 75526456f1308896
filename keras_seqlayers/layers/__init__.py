"""Keras layers: the recurrent family and the word-embedding family."""

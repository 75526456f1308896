"""Helpers on lists of words, shared by `text/` and `embeddings/`."""


def repeated_words(words):
    """The words that appear more than once, each once, in first-repeat order.

    Example:

    >>> repeated_words(["a", "b", "a", "c", "b", "a"])
    ['a', 'b']
    """
    seen, repeated = set(), []
    for w in words:
        if w in seen and w not in repeated:
            repeated.append(w)
        seen.add(w)
    return repeated

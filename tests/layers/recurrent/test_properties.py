"""Property-based tests (hypothesis) of the recurrent layers and Bidirectional.

For random batch sizes, lengths, feature and unit counts and right padding:
outputs are finite; values at padded (masked) steps never change anything at
real steps, and a padded row gives what the row alone, unpadded, gives; a
layer reading backwards over the reversed sequence is the forward pass.

Example counts stay small (CI has two cores); `derandomize` makes every run
draw the same examples.
"""

import keras
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from keras_seqlayers.layers import GRU, LSTM, Bidirectional, SimpleRNN

PROPERTY = settings(max_examples=12, deadline=None, derandomize=True, database=None)
TOL = 2e-5


def _make(kind, units, **kwargs):
    if kind == "simple":
        return SimpleRNN(units, **kwargs)
    if kind == "gru":
        return GRU(units, **kwargs)
    if kind == "gru_reset_after":
        return GRU(units, reset_after=True, **kwargs)
    return LSTM(units, **kwargs)


KINDS = st.sampled_from(["simple", "gru", "gru_reset_after", "lstm"])


@st.composite
def padded_batches(draw):
    batch = draw(st.integers(1, 3))
    time = draw(st.integers(1, 6))
    features = draw(st.integers(1, 4))
    lengths = draw(st.lists(st.integers(1, time), min_size=batch, max_size=batch))
    scale = draw(st.sampled_from([0.1, 1.0, 4.0]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = (scale * rng.normal(size=(batch, time, features))).astype("float32")
    mask = np.arange(time)[None, :] < np.array(lengths)[:, None]
    garbage = x.copy()
    garbage[~mask] = (
        rng.normal(size=int((~mask).sum() * features)).reshape(-1, features) * 1e3
    )
    return x, garbage, mask, lengths


def _np(t):
    return keras.ops.convert_to_numpy(t)


@PROPERTY
@given(KINDS, st.integers(1, 4), padded_batches())
def test_padding_never_changes_real_steps(kind, units, data):
    x, garbage, mask, lengths = data
    layer = _make(kind, units, return_sequences=True, return_state=True)
    clean_seq, *clean_states = (_np(o) for o in layer(x, mask=mask))
    noisy_seq, *noisy_states = (_np(o) for o in layer(garbage, mask=mask))
    assert np.all(np.isfinite(clean_seq))
    for a, b in zip(clean_states, noisy_states, strict=True):
        assert np.all(np.isfinite(a))
        np.testing.assert_allclose(a, b, atol=TOL)
    np.testing.assert_allclose(clean_seq[mask], noisy_seq[mask], atol=TOL)
    # Each row alone, without padding, gives the same steps and final states.
    for i, n in enumerate(lengths):
        seq, *states = (_np(o) for o in layer(x[i : i + 1, :n]))
        np.testing.assert_allclose(seq[0], clean_seq[i, :n], atol=TOL)
        for alone, padded in zip(states, clean_states, strict=True):
            np.testing.assert_allclose(alone[0], padded[i], atol=TOL)


@PROPERTY
@given(KINDS, st.integers(1, 4), padded_batches())
def test_go_backwards_of_the_reversed_sequence_is_the_forward_pass(kind, units, data):
    x, _, mask, lengths = data
    forward = _make(kind, units, return_sequences=True, return_state=True)
    backward = _make(
        kind, units, return_sequences=True, return_state=True, go_backwards=True
    )
    forward.build(x.shape)
    backward.build(x.shape)
    backward.set_weights(forward.get_weights())
    # Unpadded: the backward layer reads x[::-1] from its end, i.e. x in
    # order; its outputs come in reading order, so every step matches.
    expected = [_np(o) for o in forward(x)]
    actual = [_np(o) for o in backward(x[:, ::-1])]
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, atol=TOL)
    # Padded at the end, a backward reader meets the padding first (masked
    # steps keep the zero state), so its final states are those of the
    # forward pass over each row's real part reversed.
    reversed_rows = np.zeros_like(x)
    for i, n in enumerate(lengths):
        reversed_rows[i, :n] = x[i, :n][::-1]
    _, *back_states = (_np(o) for o in backward(reversed_rows, mask=mask))
    _, *fwd_states = (_np(o) for o in forward(x, mask=mask))
    for b, f in zip(back_states, fwd_states, strict=True):
        np.testing.assert_allclose(b, f, atol=TOL)


@PROPERTY
@given(
    KINDS,
    st.integers(1, 3),
    st.sampled_from(["concat", "sum", "ave", "mul"]),
    padded_batches(),
)
def test_bidirectional_padding_never_changes_real_steps(kind, units, merge, data):
    x, garbage, mask, lengths = data
    layer = Bidirectional(_make(kind, units, return_sequences=True), merge_mode=merge)
    clean = _np(layer(x, mask=mask))
    noisy = _np(layer(garbage, mask=mask))
    assert np.all(np.isfinite(clean))
    np.testing.assert_allclose(clean[mask], noisy[mask], atol=TOL)
    for i, n in enumerate(lengths):
        alone = _np(layer(x[i : i + 1, :n]))
        np.testing.assert_allclose(alone[0], clean[i, :n], atol=TOL)


@PROPERTY
@given(KINDS, st.integers(1, 3), padded_batches())
def test_bidirectional_final_states_match_unpadded_rows(kind, units, data):
    x, garbage, mask, lengths = data
    layer = Bidirectional(_make(kind, units, return_state=True), merge_mode="concat")
    # The merged output, then every state of both directions (LSTM: a and c).
    clean = [_np(t) for t in layer(x, mask=mask)]
    noisy = [_np(t) for t in layer(garbage, mask=mask)]
    assert len(clean) == 1 + 2 * (2 if kind == "lstm" else 1)
    for ours, with_garbage in zip(clean, noisy, strict=True):
        assert np.all(np.isfinite(ours))
        np.testing.assert_allclose(ours, with_garbage, atol=TOL)
    for i, n in enumerate(lengths):
        alone = layer(x[i : i + 1, :n])
        for row, batched in zip(alone, clean, strict=True):
            np.testing.assert_allclose(_np(row)[0], batched[i], atol=TOL)

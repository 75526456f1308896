"""Hard debiasing (neutralize + equalize) of word vectors inside a model."""

import keras
import numpy as np
from keras import ops

from keras_seqlayers.checks import (
    check_bool,
    check_choice,
    check_nonnegative_int,
    check_positive_int,
    renamed_argument,
)
from keras_seqlayers.embeddings.bias import (
    EQUALIZE_VARIANTS,
    as_matrix,
    check_direction,
    check_pairs,
    hard_debias_state,
)
from keras_seqlayers.layers.embedding.ids import in_vocabulary, int32_ids
from keras_seqlayers.registration import register


@register
class Debias(keras.layers.Layer):
    """Removes a bias axis from word vectors: neutralize and equalize.

    The layer holds, as non-trainable weights that are saved in `.keras`
    files and exported in SavedModels:

    - `direction`: the unit bias axis `g`, shape `(dim,)`;
    - `neutral`: a `(vocab_size,)` 0/1 table of the token ids to
      neutralize;
    - `pair_index` / `pair_side`: for every token id, the equalize pair it
      belongs to (-1 for none) and whether it is the pair's first (+1) or
      second (-1) word;
    - `pair_means`: `(num_equalize_pairs, dim)` means of each pair's vectors
      (after the neutralize step), the centre the pair is equalized about.

    Applied to token ids and their vectors (for example right after an
    `Embedding`), it returns, position by position:

    - for a neutral id: `e − (e·g) g`, rescaled to unit length when
      `renormalize=True` (as the authors' code does);
    - for a word of an equalize pair, with `mu` its stored pair mean,
      `mu_B = (mu·g) g`, `nu = mu − mu_B` and `w_B` the word's own axis
      component: `equalize="paper"` gives
      `nu + sqrt(1 − ‖nu‖²) (w_B − mu_B)/‖w_B − mu_B‖` (unit length), and
      `equalize="course"` gives
      `nu + sqrt(|1 − ‖nu‖²|) (w_B − mu_B)/‖(e_w − nu) − mu_B‖`;
    - any other id (gender-specific words): `e` unchanged.

    The pair means are fixed when the state is set (like the mean of
    `keras.layers.Normalization`); fed the vectors it was built from, the
    layer returns exactly what `ksl.embeddings.debias_embeddings` returns.
    The arithmetic runs in float32 whatever the dtype policy (the
    `sqrt(1 − ‖nu‖²)` of near-unit vectors loses too much in float16); the
    result is cast to the compute dtype.

    Build it with `Debias.from_word_lists(...)` (the paper's recipe) or
    `Debias.from_arrays(...)`; a layer made by the constructor alone has a
    zero state and returns its inputs (ids outside every table) unchanged
    until `set_state` is called.

    Args:
        vocab_size: number of token ids, >= 1; ids must lie in
            `[0, vocab_size)` (rows of other ids come out NaN).
        num_equalize_pairs: number of equalize pairs, >= 0.
        equalize: `"paper"` (default) or `"course"`.
        renormalize: rescale neutralized vectors to unit length.
        vocabulary_size: deprecated name of `vocab_size` (keyword only; it
            warns, and configs saved under it still load).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Call arguments:
        inputs: a list `[token_ids, vectors]`: integer ids of shape `(...)`
            and their float vectors of shape `(..., dim)`. A row whose id is
            outside the vocabulary or not a whole number is NaN; ids that
            are not numbers raise a `TypeError`.
        mask: passed through (the mask of `vectors`).

    Returns:
        The debiased vectors, shape `(..., dim)`.

    Example:

    >>> import numpy as np
    >>> vocabulary = ["she", "he", "nurse", "doctor"]
    >>> vectors = np.array([[0.8, 0.6, 0.0], [-0.8, 0.6, 0.0],
    ...                     [0.6, 0.0, 0.8], [-0.2, 0.0, 0.98]])
    >>> vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    >>> layer = Debias.from_word_lists(
    ...     vocabulary, vectors, definitional_pairs=[("she", "he")],
    ...     equalize_pairs=[], gender_specific=["she", "he"])
    >>> out = layer([np.array([2, 3]), vectors[[2, 3]]])
    >>> np.round(np.asarray(out), 6).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]

    Reference:
        Bolukbasi et al. 2016, "Man is to Computer Programmer as Woman is to
        Homemaker? Debiasing Word Embeddings", NeurIPS, section 6.
    """

    def __init__(
        self,
        vocab_size=None,
        num_equalize_pairs=0,
        equalize="paper",
        renormalize=True,
        *,
        vocabulary_size=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        vocab_size = renamed_argument(
            "vocab_size", vocab_size, "vocabulary_size", vocabulary_size
        )
        vocab_size = check_positive_int("vocab_size", vocab_size)
        num_equalize_pairs = check_nonnegative_int(
            "num_equalize_pairs", num_equalize_pairs
        )
        if 2 * num_equalize_pairs > vocab_size:
            raise ValueError(
                f"`num_equalize_pairs`={num_equalize_pairs} needs "
                f"{2 * num_equalize_pairs} distinct ids but `vocab_size` "
                f"is {vocab_size}"
            )
        check_choice("equalize", equalize, EQUALIZE_VARIANTS)
        self.vocab_size = vocab_size
        self.num_equalize_pairs = num_equalize_pairs
        self.equalize = equalize
        self.renormalize = check_bool("renormalize", renormalize)
        self.supports_masking = True

    # ------------------------------------------------------------------ build

    def _split_shapes(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or not all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            raise ValueError(
                "Debias expects inputs [token_ids, vectors]; received input "
                f"shape {input_shape!r}"
            )
        ids_shape, vectors_shape = (tuple(s) for s in input_shape)
        if len(vectors_shape) != len(ids_shape) + 1:
            raise ValueError(
                "`vectors` must have one more axis than `token_ids` (the vector "
                f"axis); received shapes {ids_shape} and {vectors_shape}"
            )
        return ids_shape, vectors_shape

    def build(self, input_shape):
        _, vectors_shape = self._split_shapes(input_shape)
        dim = vectors_shape[-1]
        if dim is None:
            raise ValueError(
                "the last axis of `vectors` (dim) must be known; received "
                f"shape {vectors_shape}"
            )
        self.dim = int(dim)
        # autocast=False: the state stays float32 under mixed precision, see above.
        state = {
            "trainable": False,
            "dtype": "float32",
            "initializer": "zeros",
            "autocast": False,
        }
        self.direction = self.add_weight(name="direction", shape=(dim,), **state)
        self.neutral = self.add_weight(
            name="neutral", shape=(self.vocab_size,), **state
        )
        self.pair_side = self.add_weight(
            name="pair_side", shape=(self.vocab_size,), **state
        )
        self.pair_means = self.add_weight(
            name="pair_means", shape=(self.num_equalize_pairs, dim), **state
        )
        self.pair_index = self.add_weight(
            name="pair_index",
            shape=(self.vocab_size,),
            trainable=False,
            dtype="int32",
            initializer=keras.initializers.Constant(-1),
            autocast=False,
        )

    # ------------------------------------------------------------------ state

    def set_state(
        self, direction, neutral_ids=(), equalize_pairs=(), equalize_means=None
    ):
        """Loads the debiasing state, checking it fully before any change.

        Builds the layer (for `dim = len(direction)`) if needed.

        Args:
            direction: the bias axis, `(dim,)`, finite and non-zero (stored
                at unit length).
            neutral_ids: token ids to neutralize.
            equalize_pairs: `(num_equalize_pairs, 2)` token ids.
            equalize_means: `(num_equalize_pairs, dim)` pair means to
                equalize about; required when there are pairs.
        """
        g = np.asarray(direction, dtype=np.float64)
        dim = self.dim if self.built else (g.shape[0] if g.ndim == 1 else None)
        g = check_direction(g, dim)
        neutral_ids = np.asarray(neutral_ids, dtype=np.int64).reshape(-1)
        self._check_ids(neutral_ids, "neutral_ids")
        if len(np.unique(neutral_ids)) != len(neutral_ids):
            ids, counts = np.unique(neutral_ids, return_counts=True)
            raise ValueError(
                "`neutral_ids` must hold distinct ids; these are repeated: "
                f"{ids[counts > 1].tolist()}"
            )
        pairs = np.asarray(equalize_pairs, dtype=np.int64).reshape(-1, 2)
        if len(pairs) != self.num_equalize_pairs:
            raise ValueError(
                f"`equalize_pairs` holds {len(pairs)} pairs but the layer was "
                f"made with `num_equalize_pairs`={self.num_equalize_pairs}"
            )
        self._check_ids(pairs, "equalize_pairs")
        check_pairs(pairs.tolist(), "equalize_pairs", item="id", disjoint=True)
        if len(pairs):
            if equalize_means is None:
                raise ValueError(
                    f"`equalize_means` is required with equalize pairs; received "
                    f"None with {len(pairs)} pair(s)"
                )
            means = np.asarray(equalize_means, dtype=np.float64)
            if means.shape != (len(pairs), g.shape[0]):
                raise ValueError(
                    f"`equalize_means` must have shape {(len(pairs), g.shape[0])}; "
                    f"received {means.shape}"
                )
            if not np.all(np.isfinite(means)):
                rows = sorted({int(i) for i in np.argwhere(~np.isfinite(means))[:, 0]})
                raise ValueError(
                    "`equalize_means` must be finite; it holds NaN or inf values "
                    f"in rows {rows}"
                )
            if self.equalize == "paper":
                nu = means - np.outer(means @ g, g)
                too_long = np.linalg.norm(nu, axis=1) > 1.0 + 1e-6
                if np.any(too_long):
                    raise ValueError(
                        "equalize='paper' needs unit-length vectors: pairs "
                        f"{pairs[too_long].tolist()} have means whose off-axis "
                        "part is longer than 1; normalize the vectors or use "
                        "equalize='course'"
                    )
        else:
            means = np.zeros((0, g.shape[0]))
        if not self.built:
            self.build([(None,), (None, g.shape[0])])
        neutral = np.zeros(self.vocab_size, dtype=np.float32)
        neutral[neutral_ids] = 1.0
        index = np.full(self.vocab_size, -1, dtype=np.int32)
        side = np.zeros(self.vocab_size, dtype=np.float32)
        for p, (a, b) in enumerate(pairs):
            index[a], index[b] = p, p
            side[a], side[b] = 1.0, -1.0
        self.direction.assign(g.astype(np.float32))
        self.neutral.assign(neutral)
        self.pair_index.assign(index)
        self.pair_side.assign(side)
        self.pair_means.assign(means.astype(np.float32))

    def _check_ids(self, ids, name):
        bad = ids[(ids < 0) | (ids >= self.vocab_size)]
        if bad.size:
            raise ValueError(
                f"`{name}` holds ids outside [0, {self.vocab_size}): "
                f"{sorted(set(bad.tolist()))}"
            )

    @classmethod
    def from_arrays(
        cls,
        direction,
        neutral_ids,
        vocab_size=None,
        equalize_pairs=(),
        equalize_means=None,
        equalize="paper",
        renormalize=True,
        *,
        vocabulary_size=None,
        **kwargs,
    ):
        """A layer holding the given state (see `set_state`).

        `vocabulary_size` is the deprecated name of `vocab_size`.
        """
        vocab_size = renamed_argument(
            "vocab_size", vocab_size, "vocabulary_size", vocabulary_size
        )
        pairs = np.asarray(equalize_pairs, dtype=np.int64).reshape(-1, 2)
        layer = cls(
            vocab_size,
            num_equalize_pairs=len(pairs),
            equalize=equalize,
            renormalize=renormalize,
            **kwargs,
        )
        layer.set_state(direction, neutral_ids, pairs, equalize_means)
        return layer

    @classmethod
    def from_word_lists(
        cls,
        vocabulary,
        vectors,
        definitional_pairs,
        equalize_pairs,
        gender_specific,
        *,
        method="pca",
        equalize="paper",
        renormalize=True,
        case_variants=True,
        on_missing="raise",
        min_explained_variance=0.3,
        **kwargs,
    ):
        """Hard debiasing the way Bolukbasi et al. 2016 do it.

        The axis is `bias_direction(definitional_pairs, method)`; every word
        of the vocabulary not in `gender_specific` is neutral; the equalize
        pairs are resolved by `ksl.embeddings.bias.resolve_equalize_pairs`
        (with lower/Title/UPPER case forms, as the authors' code).

        Args:
            vocabulary: the words of the token ids (a sequence, a mapping
                word -> id, or an object with a `words` attribute).
            vectors: `(vocab_size, dim)` array of the vectors.
            definitional_pairs: pairs defining the axis.
            equalize_pairs: pairs to equalize.
            gender_specific: words that are not neutralized.
            method, case_variants, on_missing, min_explained_variance: see
                `ksl.embeddings.debias_embeddings`.
            equalize, renormalize: see the class.
            **kwargs: base layer arguments.

        Returns:
            A built `Debias` layer.
        """
        matrix = as_matrix(vectors)
        size = len(getattr(vocabulary, "words", vocabulary))
        if size != matrix.shape[0]:
            raise ValueError(
                f"`vocabulary` has {size} words but `vectors` has "
                f"{matrix.shape[0]} rows"
            )
        state = hard_debias_state(
            matrix,
            vocabulary,
            definitional_pairs,
            equalize_pairs,
            gender_specific,
            method=method,
            renormalize=renormalize,
            case_variants=case_variants,
            on_missing=on_missing,
            min_explained_variance=min_explained_variance,
        )
        return cls.from_arrays(
            state["direction"],
            state["neutral_ids"],
            matrix.shape[0],
            state["equalize_pairs"],
            state["equalize_means"],
            equalize=equalize,
            renormalize=renormalize,
            **kwargs,
        )

    # Read-only views of the state, for inspection.

    @property
    def vocabulary_size(self):
        """Deprecated name of `vocab_size` (it does not warn: Keras's saver
        reads every attribute of a layer it saves)."""
        return self.vocab_size

    @property
    def neutral_ids(self):
        """Token ids that are neutralized (NumPy int64)."""
        return np.flatnonzero(self.neutral.numpy() > 0)

    @property
    def equalize_pairs(self):
        """`(num_equalize_pairs, 2)` token ids of the pairs (NumPy int64)."""
        index = self.pair_index.numpy()
        side = self.pair_side.numpy()
        pairs = np.zeros((self.num_equalize_pairs, 2), dtype=np.int64)
        for token in np.flatnonzero(index >= 0):
            pairs[index[token], 0 if side[token] > 0 else 1] = token
        return pairs

    # ------------------------------------------------------------------- call

    def call(self, inputs, mask=None):
        token_ids, vectors = inputs
        if vectors.shape[-1] is not None and vectors.shape[-1] != self.dim:
            raise ValueError(
                f"`vectors` have dimension {vectors.shape[-1]} but the layer's "
                f"bias direction has dimension {self.dim}"
            )
        ids = int32_ids(token_ids, "token_ids")
        # Out-of-range ids are looked up at a valid index and their rows set
        # to NaN at the end: the same result eagerly and under XLA (which
        # clamps out-of-range gathers), and never another word's vector.
        valid = in_vocabulary(ids, self.vocab_size)[..., None]
        ids = ops.clip(ids, 0, self.vocab_size - 1)
        e = ops.cast(vectors, "float32")
        g = ops.convert_to_tensor(self.direction)

        neutral = ops.take(self.neutral, ids, axis=0)[..., None] > 0
        neutralized = e - ops.sum(e * g, axis=-1, keepdims=True) * g
        if self.renormalize:
            neutralized = _safe_unit(neutralized)
        e = ops.where(neutral, neutralized, e)

        if self.num_equalize_pairs:
            index = ops.take(self.pair_index, ids, axis=0)
            in_pair = (index >= 0)[..., None]
            mu = ops.take(self.pair_means, ops.maximum(index, 0), axis=0)
            mu_b = ops.sum(mu * g, axis=-1, keepdims=True)
            nu = mu - mu_b * g
            nu_sq = ops.sum(nu * nu, axis=-1, keepdims=True)
            # (w_B - mu_B) as a coefficient along g.
            offset = ops.sum(e * g, axis=-1, keepdims=True) - mu_b
            if self.equalize == "paper":
                side = ops.take(self.pair_side, ids, axis=0)[..., None]
                # The sign of (w_B - mu_B); on a tie the first word takes +g,
                # as the authors' code does.
                sign = ops.where(offset > 0, 1.0, ops.where(offset < 0, -1.0, side))
                axis_part = sign * ops.sqrt(ops.maximum(1.0 - nu_sq, 0.0))
            else:
                diff = e - mu
                diff_sq = ops.sum(diff * diff, axis=-1, keepdims=True)
                safe = ops.where(diff_sq > 0, diff_sq, 1.0)
                axis_part = ops.where(
                    diff_sq > 0,
                    ops.sqrt(ops.abs(1.0 - nu_sq)) * offset / ops.sqrt(safe),
                    0.0,
                )
            e = ops.where(in_pair, nu + axis_part * g, e)
        e = ops.where(valid, e, float("nan"))
        return ops.cast(e, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        _, vectors_shape = self._split_shapes(input_shape)
        return vectors_shape

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            return mask[1]
        return mask

    def get_config(self):
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "num_equalize_pairs": self.num_equalize_pairs,
            "equalize": self.equalize,
            "renormalize": self.renormalize,
        }


def _safe_unit(x):
    """`x / ‖x‖` with zero vectors kept at zero and finite gradients."""
    sq = ops.sum(x * x, axis=-1, keepdims=True)
    safe = ops.where(sq > 0, sq, 1.0)
    return ops.where(sq > 0, x / ops.sqrt(safe), x)

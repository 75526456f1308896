"""Export models to SavedModels for TF Serving, and check that they serve.

One idea per module:

- `exporting.py`: `export` writes `path/<version>/`, the layout TF Serving
  watches, with named `serving_default` (and, for text, `serve_ids`)
  signatures and an example REST request.
- `text.py`: `TextEncoder` and `TextDecoder`, text to ids and back inside
  the graph, so clients send and receive text.
- `embedding.py`: `embedding_model`, trained word vectors as a lookup model.
- `checking.py`: `check` proves a SavedModel (any, not only ours) serves the
  way TF Serving would serve it, in a process that cannot import this
  package or Keras, and returns a `CheckReport`.
- `probe.py`: what runs in that process, with TensorFlow and NumPy only:
  the TF1 Session loader, the op rules and TF Serving's REST conversions.
- `cli.py`: the command line, run by `__main__.py`.

TensorFlow only: `export` needs Keras's TensorFlow backend (it raises a
RuntimeError under another), and the text endpoints are TensorFlow and
tensorflow-text ops. `check` reads any SavedModel on disk, whatever the
backend of the process that calls it.

From a shell::

    python -m keras_seqlayers.serving check saved_models/classifier
"""

from keras_seqlayers.serving.checking import (
    CheckReport,
    NotServableError,
    check,
    resolve_version_dir,
)
from keras_seqlayers.serving.cli import main
from keras_seqlayers.serving.embedding import embedding_model
from keras_seqlayers.serving.exporting import IDS_SIGNATURE, ExportInfo, export
from keras_seqlayers.serving.probe import (
    EXAMPLE_FILE,
    FORBIDDEN_OP_PREFIXES,
    FORBIDDEN_OPS,
    SIGNATURE,
    graph_ops,
    op_problems,
    rest_inputs,
    rest_response,
)
from keras_seqlayers.serving.text import TextDecoder, TextEncoder

__all__ = [
    "EXAMPLE_FILE",
    "FORBIDDEN_OPS",
    "FORBIDDEN_OP_PREFIXES",
    "IDS_SIGNATURE",
    "SIGNATURE",
    "CheckReport",
    "ExportInfo",
    "NotServableError",
    "TextDecoder",
    "TextEncoder",
    "check",
    "embedding_model",
    "export",
    "graph_ops",
    "main",
    "op_problems",
    "resolve_version_dir",
    "rest_inputs",
    "rest_response",
]

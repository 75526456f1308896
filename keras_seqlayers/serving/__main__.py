"""Runs the command line (`cli.py`): `python -m keras_seqlayers.serving`."""

import sys

from keras_seqlayers.serving.cli import main

if __name__ == "__main__":
    sys.exit(main())

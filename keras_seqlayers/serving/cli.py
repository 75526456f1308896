"""The command line: `python -m keras_seqlayers.serving check PATH`.

Prints the check's steps to standard error as they start, then the report
(or `--json`) to standard output. Exits with 0 when the model serves, 1 when
it does not, and 2 when there is no SavedModel or the request is malformed.
"""

import argparse
import dataclasses
import json
import sys

from keras_seqlayers.serving.checking import NotServableError, check
from keras_seqlayers.serving.probe import SIGNATURE


def main(argv=None):
    """`python -m keras_seqlayers.serving check PATH [--request JSON]`."""
    parser = argparse.ArgumentParser(
        prog="python -m keras_seqlayers.serving",
        description="Checks that a SavedModel is servable by TF Serving.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check", help="check a SavedModel")
    check_parser.add_argument("path", help="a version or base directory")
    check_parser.add_argument("--signature", default=SIGNATURE)
    check_parser.add_argument(
        "--request", help="a REST body as JSON text, or @FILE to read one"
    )
    check_parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    request = args.request
    if request is not None and request.startswith("@"):
        with open(request[1:], encoding="utf-8") as f:
            request = f.read()
    try:
        report = check(
            args.path, signature=args.signature, request=request, verbose=True
        )
    except NotServableError as error:
        if error.report is not None:
            print(error.report.summary())
        else:
            print(str(error))
        return 1
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        data = dataclasses.asdict(report)
        data.pop("results")
        print(json.dumps(data, indent=2))
    else:
        print(report.summary())
    return 0

"""Write docs/errors.md: every ValueError/TypeError the package raises, and
the tests that trigger it.

1. Finds every `raise ValueError(...)` / `raise TypeError(...)` statement in
   `keras_seqlayers/` with `ast` (file, lines, the message's literal text).
2. Runs, in this process, every test function whose source uses
   `pytest.raises`, with a trace function on the package's frames that
   records which raise statement each exception came from and in which test.
3. Writes the table; raises without a triggering test are listed as such.

Usage (from the repository root; a few minutes on 2 cores)::

    PYTHONPATH=. python tools/error_table.py [--out docs/errors.md]
"""

import argparse
import ast
import collections
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "keras_seqlayers"


def _message(node):
    """The literal text of a raise's first argument (f-string holes: `…`)."""
    call = node.exc
    if not isinstance(call, ast.Call) or not call.args:
        return ""
    arg = call.args[0]
    parts = []

    def walk(n):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            parts.append(n.value)
        elif isinstance(n, ast.JoinedStr):
            for v in n.values:
                if isinstance(v, ast.Constant):
                    parts.append(v.value)
                else:
                    parts.append("…")
        elif isinstance(n, ast.BinOp):
            walk(n.left)
            walk(n.right)
        else:
            parts.append("…")

    walk(arg)
    return " ".join("".join(parts).split())


def find_raises():
    raises = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name)
                and node.exc.func.id in ("ValueError", "TypeError")
            ):
                raises.append(
                    {
                        "file": str(path.relative_to(ROOT)),
                        "start": node.lineno,
                        "end": node.end_lineno,
                        "type": node.exc.func.id,
                        "message": _message(node),
                    }
                )
    return sorted(raises, key=lambda r: (r["file"], r["start"]))


def tests_using_raises():
    """Node ids of test functions whose source mentions `pytest.raises`."""
    ids = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                source = ast.get_source_segment(path.read_text(encoding="utf-8"), node)
                if "pytest.raises" in source:
                    ids.append(f"{path.relative_to(ROOT)}::{node.name}")
    return ids


class Recorder:
    """A pytest plugin tracing exceptions raised in the package's frames."""

    def __init__(self):
        self.hits = collections.defaultdict(set)  # (file, line) -> test ids
        self.current = None
        self._seen = []

    def _local(self, frame, event, arg):
        if event == "exception" and self.current is not None:
            exc = arg[1]
            if not any(e is exc for e in self._seen):
                self._seen.append(exc)
                filename = os.path.relpath(frame.f_code.co_filename, ROOT)
                self.hits[(filename, frame.f_lineno)].add(self.current)
        return self._local

    def _global(self, frame, event, arg):
        if frame.f_code.co_filename.startswith(str(PACKAGE)):
            return self._local
        return None

    def pytest_runtest_setup(self, item):
        self.current = item.nodeid.split("[")[0]
        self._seen = []
        sys.settrace(self._global)

    def pytest_runtest_teardown(self, item):
        sys.settrace(None)
        self.current = None
        self._seen = []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "errors.md"))
    args = parser.parse_args()
    import pytest

    raises = find_raises()
    recorder = Recorder()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "--no-header", *tests_using_raises()],
        plugins=[recorder],
    )
    if code not in (0, 5):
        print(f"warning: some tests failed (pytest exit code {code})")
    rows, missing = [], 0
    for r in raises:
        tests = set()
        for (filename, line), ids in recorder.hits.items():
            if filename == r["file"] and r["start"] <= line <= r["end"]:
                tests |= ids
        if not tests:
            missing += 1
        message = r["message"].replace("|", "\\|").replace("`", "")
        if len(message) > 110:
            message = message[:107] + "..."
        shown = "<br>".join(f"`{t}`" for t in sorted(tests)) or "**no test**"
        rows.append(
            f"| `{r['file']}:{r['start']}` | {r['type']} | {message} | {shown} |"
        )
    text = [
        "# Errors raised for bad input",
        "",
        "Every `raise ValueError(...)` / `raise TypeError(...)` statement in",
        "`keras_seqlayers/`, with the tests that trigger it (recorded by tracing",
        "the tests that use `pytest.raises`). Generated by",
        "`PYTHONPATH=. python tools/error_table.py`; rerun it after changes.",
        "In messages, `…` stands for a value inserted at run time.",
        "",
        f"{len(raises)} raise statements; {len(raises) - missing} triggered by a "
        f"test, {missing} not.",
        "",
        "| Where | Type | Message | Triggered by |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    pathlib.Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.out).write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {args.out}: {len(raises)} raises, {missing} without a test")


if __name__ == "__main__":
    main()

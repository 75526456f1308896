"""Every ```python block of the guide (the pages under docs/) runs.

The tool is mktestdocs: it finds a page's fenced blocks by their info string
(`grab_code_blocks`) and leaves the running to an ordinary parametrized test.
So the guide runs under the suite's plain `python -m pytest -n 2`, with no
plugin flag that would also collect the README and every module's
docstrings (pytest-markdown-docs needs `--markdown-docs` on each run and
then collects both; the docstrings already run as doctests in
tests/test_docstring_examples.py), and a page's namespace stays in the test,
where the Serving page's JSON is compared with what its code printed.

Rules for the authors of guide pages:

- A block fenced ```python runs. Its info string is exactly `python`:
  `test_every_fence_names_a_known_language` fails on anything else, so no
  block is skipped silently.
- The blocks of one page run in page order in one namespace, so a block may
  use what an earlier block of the same page defined. Each page starts from
  a fresh namespace, a cleared Keras session, the suite's seed, and a
  temporary working directory (files a snippet writes go there).
- A Python block that must not run (it needs a download, a GPU, a file the
  reader has) is fenced ```py: highlighted the same, never run. Output is
  fenced ```text, shell commands ```bash, JSON ```json, diagrams with a bare
  ```; none of them runs.
- Sizes are tiny: the whole guide adds well under a minute to the suite.
- `ruff format` formats the blocks in the pages too (`.ci/run` checks it);
  run it on a page before committing.
"""

import json
import math
import pathlib
import re

import keras
import mktestdocs
import pytest

DOCS = pathlib.Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
LANGUAGES = {"python", "py", "text", "bash", "json", ""}
_FENCE = re.compile(r"^\s*```(.*)$")


def _run(page):
    namespace = {"__name__": "__main__"}
    blocks = mktestdocs.grab_code_blocks((DOCS / page).read_text(), lang="python")
    if blocks:
        keras.backend.clear_session()
    for number, block in enumerate(blocks, 1):
        code = compile(block, f"docs/{page}, python block {number}", "exec")
        exec(code, namespace)
    return namespace


def _same(shown, produced, where="JSON"):
    """Equal structure and keys; numbers equal to float32 precision."""
    if isinstance(shown, dict):
        assert isinstance(produced, dict), where
        assert list(shown) == list(produced), where
        for key in shown:
            _same(shown[key], produced[key], f"{where}[{key!r}]")
    elif isinstance(shown, list):
        assert isinstance(produced, list), where
        assert len(shown) == len(produced), where
        for i, (a, b) in enumerate(zip(shown, produced, strict=True)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(shown, float):
        assert isinstance(produced, float), where
        assert math.isclose(shown, produced, rel_tol=1e-4, abs_tol=1e-6), where
    else:
        assert shown == produced, where


def _serving_json_matches(page, namespace):
    # The page shows the REST request, then TF Serving's response.
    shown = [
        json.loads(block)
        for block in mktestdocs.grab_code_blocks((DOCS / page).read_text(), lang="json")
    ]
    report = namespace["report"]
    assert len(shown) == 2
    _same(shown[0], report.request, "request")
    _same(shown[1], report.response, "response")


AFTER = {"serving.md": _serving_json_matches}


@pytest.mark.parametrize("page", PAGES)
def test_guide_page_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = _run(page)
    if page in AFTER:
        AFTER[page](page, namespace)


@pytest.mark.parametrize("page", PAGES)
def test_every_fence_names_a_known_language(page):
    opening = True
    for number, line in enumerate((DOCS / page).read_text().splitlines(), 1):
        if "```" not in line:
            continue
        # mktestdocs opens or closes a block at any line holding ```.
        match = _FENCE.match(line)
        assert match, f"docs/{page}:{number}: ``` inside a line"
        if opening:
            info = match.group(1).strip()
            assert info in LANGUAGES, f"docs/{page}:{number}: fence ```{info}"
        opening = not opening
    assert opening, f"docs/{page}: a code fence is not closed"

"""A Griffe extension that reads the package's Keras-style docstrings.

mkdocstrings' Google-style parser (Griffe) expects every section's content to
be indented under its header and one name per argument. The package follows
Keras's own docstrings instead, in two ways the parser would misread:

- an `Example:` header followed by a blank line and doctest lines at the
  docstring's own indentation (the parser would render `>>>` as nested
  quotes and output such as `['a', 'b']` as Markdown links);
- several arguments described together, their names spread over lines that
  end with a comma (`activation, recurrent_activation,` / `seed: as in
  GRUCell.`), which the parser cannot split into a name and a description;
- a `Call arguments:` section, which the parser shows as one paragraph.

Before the docstrings are parsed, this extension wraps each unindented
doctest run in a `pycon` code fence, joins a grouped name list onto the
line that holds its description, and makes each call argument a list item.
mkdocs.yml loads it with the handler's `extensions` option; the docstrings
themselves, and the doctests that tests/test_docstring_examples.py runs from
them, stay as they are.
"""

import re

import griffe

_ARGS_HEADERS = ("Args:", "Arguments:")
_NAME_LIST = re.compile(r"^(\s+)(\*{0,2}\w+, )*\*{0,2}\w+,$")
_CALL_ARGUMENT = re.compile(r"^( {4})(\*{0,2}\w+): ")


def _fence_doctests(lines):
    out, block = [], []
    for line in [*lines, ""]:
        if block and line.strip():
            block.append(line)
            continue
        if block:
            out += ["```pycon", *block, "```"]
            block = []
        if line.startswith(">>>"):
            block.append(line)
        else:
            out.append(line)
    return out[:-1]


def _join_name_lists(lines):
    out, section = [], None
    for line in lines:
        if line and not line[0].isspace():
            section = line.strip()
        previous = out[-1] if out else ""
        if section in _ARGS_HEADERS and _NAME_LIST.match(previous):
            out[-1] = f"{previous} {line.strip()}"
        elif section == "Call arguments:":
            out.append(_CALL_ARGUMENT.sub(r"\1- `\2`: ", line))
        else:
            out.append(line)
    return out


def normalize(text):
    """The docstring `text` with doctest runs fenced and name lists joined."""
    lines = _join_name_lists(text.split("\n"))
    return "\n".join(_fence_doctests(lines))


class KerasDocstrings(griffe.Extension):
    """Rewrites each loaded object's docstring with `normalize`."""

    def on_instance(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = normalize(obj.docstring.value)

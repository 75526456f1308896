"""docs/errors.md is current, and its generator follows helpers to callers."""

import importlib.util
import pathlib
import textwrap

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "error_table", ROOT / "tools" / "error_table.py"
)
error_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(error_table)


def test_errors_page_is_up_to_date():
    committed = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert committed == error_table.render(), (
        f"docs/errors.md is out of date; run: {error_table.COMMAND}"
    )


def _package(tmp_path, files):
    package = tmp_path / "pkg"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return error_table.Source(package)


def test_helper_raises_are_listed_under_each_public_caller(tmp_path):
    source = _package(
        tmp_path,
        {
            "__init__.py": """
                from pkg.api import Model, run
                __all__ = ["Model", "run"]
            """,
            "_checks.py": """
                def check_int(argument, value, minimum=1, allow_none=False):
                    if allow_none and value is None:
                        return None
                    allowed = f"an integer >= {minimum}"
                    if allow_none:
                        allowed += " or None"
                    if value < minimum:
                        message = f"`{argument}` must be {allowed}; got {value!r}"
                        raise ValueError(message)
                    return value
            """,
            "api.py": """
                from pkg._checks import check_int

                def run(steps, limit=None):
                    check_int("steps", steps)
                    check_int("limit", limit, minimum=0, allow_none=True)

                def _unreachable(level):
                    if level is None:
                        raise TypeError("never listed under a caller passing 3")

                class Model:
                    def __init__(self, size):
                        self.size = check_int("size", size, 2)
                        _unreachable(3)

                    @classmethod
                    def from_data(cls, data):
                        return cls(len(data))
            """,
        },
    )
    found = error_table.collect(source)
    # `_unreachable(3)` cannot reach its raise, so it is listed nowhere.
    assert set(found) == {("pkg.run",), ("pkg.Model",), ("pkg.Model.from_data",)}
    allowed = "an integer >= 1; got …"
    assert found[("pkg.run",)] == [
        ("ValueError", f"`steps` must be {allowed}"),
        ("ValueError", "`limit` must be an integer >= 0 or None; got …"),
    ]
    size = [("ValueError", "`size` must be an integer >= 2; got …")]
    assert found[("pkg.Model",)] == size
    assert found[("pkg.Model.from_data",)] == size


def test_names_not_resolved_statically_stay_under_their_function(tmp_path):
    source = _package(
        tmp_path,
        {
            "__init__.py": "from pkg.api import run\n",
            "api.py": """
                def run(hook):
                    hook()

                def _hook():
                    raise TypeError("bad hook")
            """,
        },
    )
    assert error_table.collect(source) == {
        ("pkg.api._hook",): [("TypeError", "bad hook")]
    }
    page = error_table.render(source)
    assert "### `pkg.api._hook`" in page.split("## Raised where no public call")[1]

"""Checks on XLA's optimized HLO of an in-place table update."""

import re


def assert_tables_updated_in_place(fn, args, rows):
    """Every f32 value with `rows` rows in `fn(*args)` is a table or a scatter.

    That is, no table-sized temporary (zeros, sum, sqrt or copy): each update
    is a scatter-add into the variable, whose cost does not grow with the
    vocabulary.
    """
    hlo = fn.experimental_get_compiler_ir(*args)(stage="optimized_hlo")
    value = rf"%([\w.-]+) = f32\[{rows}(?:,\d+)?\]\{{[\d,]*\}} ([\w-]+)\("
    made = re.findall(value, hlo)
    assert {op for _, op in made} <= {
        "parameter",
        "get-tuple-element",
        "scatter",
        "fusion",
    }
    fusions = [name for name, op in made if op == "fusion"]
    assert fusions
    assert all("scatter" in name for name in fusions)

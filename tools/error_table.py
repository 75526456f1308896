"""Write docs/errors.md: the ValueError/TypeError messages of each public call.

The page is generated from the source alone, with `ast` (no import, no test
run), and names no line numbers, so it changes only when a message, or the
public call that can raise it, changes:

1. Every `raise ValueError(...)` / `raise TypeError(...)` in `keras_seqlayers/`
   is found, with the function that holds it.
2. The public entry points are the names the package's `__init__` modules
   export (and the public methods of exported classes, inherited ones
   included). A raise in any other function (a private helper, or a check of
   `keras_seqlayers.checks`) is followed up the static call graph to every
   entry point that calls it. Calls the source cannot resolve statically
   leave the raise under the function that holds it, in a last section.
3. Along each such path the message is evaluated as far as the source
   allows: a helper called as `check_positive_int("units", units)` shows
   "`units` must be an integer >= 1; received units=…". Run-time values are
   written `…`.

Usage (from the repository root)::

    PYTHONPATH=. python tools/error_table.py              # rewrite the page
    PYTHONPATH=. python tools/error_table.py --check      # exit 1 if stale
    PYTHONPATH=. python tools/error_table.py --check-coverage [TEST_PATH ...]

`--check-coverage` is a maintainer's check of the tests, not of the page: it
runs the tests that use `pytest.raises` (or the given test paths) with a
trace on the package's frames, and lists every raise statement that no test
triggers (exit 1 if any). It takes minutes.
"""

import argparse
import ast
import collections
import dataclasses
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "keras_seqlayers"
OUT = ROOT / "docs" / "errors.md"
ERRORS = ("ValueError", "TypeError")
COMMAND = "PYTHONPATH=. python tools/error_table.py"
UNKNOWN = object()


class Partial(str):
    """A message held in a variable, with `…` for its unknown parts."""


HOLE = "…"

INTRO = f"""\
# Errors raised for bad input

Every `ValueError` and `TypeError` that `keras_seqlayers` raises on purpose,
listed under the public function, class or method you call. A class's own
heading lists what its constructor raises; its methods follow it.

- `TypeError`: the argument has the wrong type (a string where a number
  belongs, a bool where an integer belongs).
- `ValueError`: the type is right but the value is not allowed.

Each message names the argument, the value received and what is allowed. In
the messages below, `…` stands for a value that is only known at run time
(usually the value you passed). A `from_...` class method also raises what
the constructor raises, and a subclass what its base class raises; both are
listed. A recurrent layer (`GRU`, `LSTM`, `SimpleRNN`) hands its cell
arguments (`units`, `dropout`, ...) to its cell, whose errors are listed
under the cell class (`GRUCell`, ...). Errors that Keras or TensorFlow raise
themselves are not listed.

This page is generated from the source by `{COMMAND}`;
`tests/test_errors_page.py` fails when it is out of date.
"""


@dataclasses.dataclass
class Function:
    qualname: str
    module: str
    cls: str | None
    node: ast.FunctionDef
    calls: list = dataclasses.field(default_factory=list)
    # The class whose body holds `node`, when `cls` inherits it (a mixin's
    # method analysed in the class that uses it).
    owner: str | None = None

    @property
    def params(self):
        args = self.node.args
        names = [a.arg for a in [*args.posonlyargs, *args.args]]
        is_static = any(
            isinstance(d, ast.Name) and d.id == "staticmethod"
            for d in self.node.decorator_list
        )
        return names[1:] if self.cls and not is_static else names

    def defaults(self):
        args = self.node.args
        positional = [*args.posonlyargs, *args.args]
        with_default = positional[len(positional) - len(args.defaults) :]
        pairs = [
            *zip(with_default, args.defaults, strict=True),
            *zip(args.kwonlyargs, args.kw_defaults, strict=True),
        ]
        return {a.arg: d for a, d in pairs if d is not None}


@dataclasses.dataclass
class Module:
    name: str
    path: pathlib.Path
    tree: ast.Module
    symbols: dict = dataclasses.field(default_factory=dict)
    constants: dict = dataclasses.field(default_factory=dict)


class Source:
    """The parsed package: modules, classes, functions and their calls."""

    def __init__(self, package=PACKAGE):
        self.root = package.parent
        self.top = package.name
        self.modules = {}
        self.classes = {}  # qualname -> (module, ClassDef)
        self.functions = {}  # qualname -> Function
        for path in sorted(package.rglob("*.py")):
            self._read(path)
        for module in self.modules.values():
            for node in module.tree.body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Name):
                        try:
                            value = ast.literal_eval(node.value)
                        except ValueError:
                            continue
                        module.constants[target.id] = value
        self._analyse_inherited_methods()
        self.attributes = self._attribute_classes()
        self.callers = collections.defaultdict(list)
        for function in self.functions.values():
            for call in _calls(function.node):
                for target in self.resolve_call(function, call):
                    self.callers[target].append((function.qualname, call))

    def _read(self, path):
        parts = list(path.relative_to(self.root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        package = name if is_package else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = self.modules[name] = Module(name, path, tree)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([base] if base else [])])
                for alias in node.names:
                    target = f"{base}.{alias.name}"
                    module.symbols[alias.asname or alias.name] = ("import", target)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.symbols[alias.asname] = ("import", alias.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                qualname = f"{name}.{node.name}"
                module.symbols[node.name] = ("def", qualname)
                self.functions[qualname] = Function(qualname, name, None, node)
            elif isinstance(node, ast.ClassDef):
                qualname = f"{name}.{node.name}"
                module.symbols[node.name] = ("class", qualname)
                self.classes[qualname] = (module, node)
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        method = f"{qualname}.{item.name}"
                        self.functions[method] = Function(method, name, qualname, item)

    def _analyse_inherited_methods(self):
        """Inherited methods that call `self` methods only the heir defines.

        A mixin's `predict` calling `self._id_range()` runs the subclass's
        `_id_range`, which the mixin alone does not have: such a method is
        analysed again as a method of each class that inherits it.
        """
        for cls in list(self.classes):
            for owner in self.mro(cls)[1:]:
                for item in self.classes[owner][1].body:
                    if not isinstance(item, ast.FunctionDef):
                        continue
                    if self.method(cls, item.name) != f"{owner}.{item.name}":
                        continue  # overridden nearer to `cls`
                    calls = [
                        call.func.attr
                        for call in _calls(item)
                        if isinstance(call.func, ast.Attribute)
                        and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == "self"
                    ]
                    if any(
                        self.method(owner, name) is None and self.method(cls, name)
                        for name in calls
                    ):
                        module = self.functions[f"{owner}.{item.name}"].module
                        qualname = f"{cls}.{item.name}"
                        self.functions[qualname] = Function(
                            qualname, module, cls, item, owner=owner
                        )

    def _attribute_classes(self):
        """(class, attribute) -> the package class of `self.attribute = C(...)`."""
        found = {}
        for function in self.functions.values():
            if not function.cls:
                continue
            for node in ast.walk(function.node):
                if (
                    isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Attribute)
                    and isinstance(node.targets[0].value, ast.Name)
                    and node.targets[0].value.id == "self"
                    and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Name)
                ):
                    cls = self.lookup(function.module, node.value.func.id)
                    if cls in self.classes:
                        found[(function.cls, node.targets[0].attr)] = cls
        return found

    # ----- names ------------------------------------------------------------
    def canonical(self, dotted):
        """Follows re-exports: the defining qualname of `dotted`, or None.

        A name a package imports wins over a submodule of the same name
        (`keras_seqlayers.text.cooccurrence` is the function).
        """
        for _ in range(20):
            parts = dotted.split(".")
            for i in range(len(parts) - 1, 0, -1):
                module = self.modules.get(".".join(parts[:i]))
                if module is not None and parts[i] in module.symbols:
                    kind, target = module.symbols[parts[i]]
                    break
            else:
                return dotted if dotted in self.modules else None
            resolved = ".".join([target, *parts[i + 1 :]])
            if kind != "import":
                return resolved
            if resolved == dotted:
                return dotted if dotted in self.modules else None
            dotted = resolved
        return None

    def lookup(self, module, name):
        kind, target = self.modules[module].symbols.get(name, (None, None))
        return target if kind != "import" else self.canonical(target)

    def mro(self, cls):
        """`cls` and its base classes defined in the package, nearest first."""
        order, todo = [], [cls]
        while todo:
            current = todo.pop(0)
            if current in order or current not in self.classes:
                continue
            order.append(current)
            module, node = self.classes[current]
            for base in node.bases:
                if isinstance(base, ast.Name):
                    resolved = self.lookup(module.name, base.id)
                    if resolved:
                        todo.append(resolved)
        return order

    def method(self, cls, name, after=None):
        """The qualname of `cls.name`, looked up past class `after` if given."""
        order = self.mro(cls)
        if after is not None:
            order = order[order.index(after) + 1 :]
        for owner in order:
            if f"{owner}.{name}" in self.functions:
                return f"{owner}.{name}"
        return None

    def resolve_call(self, function, call):
        """Qualnames of the package functions `call` may run (0 or 1)."""
        func = call.func
        target = None
        if isinstance(func, ast.Name):
            if func.id == "cls" and function.cls:
                target = self.method(function.cls, "__init__")
            else:
                resolved = self.lookup(function.module, func.id)
                if resolved in self.classes:
                    target = self.method(resolved, "__init__")
                else:
                    target = resolved
        elif isinstance(func, ast.Attribute):
            value = func.value
            if isinstance(value, ast.Name) and value.id in ("self", "cls"):
                if function.cls:
                    target = self.method(function.cls, func.attr)
            elif (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "super"
                and function.cls
            ):
                target = self.method(
                    function.cls, func.attr, after=function.owner or function.cls
                )
            elif (
                isinstance(value, ast.Attribute)
                and isinstance(value.value, ast.Name)
                and value.value.id == "self"
                and function.cls
            ):
                owner = next(
                    (
                        self.attributes[(c, value.attr)]
                        for c in self.mro(function.cls)
                        if (c, value.attr) in self.attributes
                    ),
                    None,
                )
                if owner:
                    target = self.method(owner, func.attr)
            elif isinstance(value, ast.Name):
                resolved = self.lookup(function.module, value.id)
                if resolved in self.classes:
                    target = self.method(resolved, func.attr)
                elif resolved in self.modules:
                    target = self.canonical(f"{resolved}.{func.attr}")
                    if target in self.classes:
                        target = self.method(target, "__init__")
        return [target] if target in self.functions else []

    # ----- public entry points ------------------------------------------------
    def entry_points(self):
        """Function qualname -> the public names that call it directly."""
        entries = collections.defaultdict(set)
        seen, todo = set(), [self.top]
        while todo:
            module_name = todo.pop(0)
            if module_name in seen:
                continue
            seen.add(module_name)
            for name in self._exported(module_name):
                alias = f"{module_name}.{name}"
                target = self.canonical(alias)
                if target in self.modules:
                    todo.append(target)
                elif target in self.functions:
                    entries[target].add(alias)
                elif target in self.classes:
                    for owner in reversed(self.mro(target)):
                        for item in self.classes[owner][1].body:
                            if not isinstance(item, ast.FunctionDef):
                                continue
                            if item.name.startswith("_") and item.name not in (
                                "__init__",
                                "__call__",
                            ):
                                continue
                            shown = (
                                alias
                                if item.name == "__init__"
                                else (f"{alias}.{item.name}")
                            )
                            function = self.method(target, item.name)
                            entries[function].add(shown)
        return {
            f: sorted(a, key=lambda s: (s.count("."), s)) for f, a in entries.items()
        }

    def _exported(self, module_name):
        module = self.modules[module_name]
        for node in module.tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
            ):
                return [
                    n for n in ast.literal_eval(node.value) if not n.startswith("__")
                ]
        # Without `__all__`, a package exports what it imports from the
        # package; a plain module only what it defines.
        is_package = module.path.name == "__init__.py"
        return [
            name
            for name, (kind, target) in module.symbols.items()
            if not name.startswith("_")
            and (kind != "import" or (is_package and target.startswith(f"{self.top}.")))
        ]


def _calls(node):
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def _is_same_object_call(call):
    """Whether `call` is `cls(...)` or `super().f(...)`."""
    if isinstance(call.func, ast.Name):
        return call.func.id == "cls"
    value = getattr(call.func, "value", None)
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "super"
    )


def _raises(node):
    for n in ast.walk(node):
        if (
            isinstance(n, ast.Raise)
            and isinstance(n.exc, ast.Call)
            and isinstance(n.exc.func, ast.Name)
            and n.exc.func.id in ERRORS
        ):
            yield n


# ----- evaluating messages ----------------------------------------------------
class Evaluator:
    """Evaluates the constant parts of a message along one call path."""

    def __init__(self, source, module):
        self.source = source
        self.module = module

    def value(self, node, env):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, (ast.Tuple, ast.List)):
            items = [self.value(e, env) for e in node.elts]
            return UNKNOWN if UNKNOWN in items else tuple(items)
        if isinstance(node, ast.Name):
            if node.id in env:
                value = env[node.id]
                return UNKNOWN if isinstance(value, Partial) else value
            return self._constant(node.id)
        if isinstance(node, ast.JoinedStr):
            parts = [self._part(v, env) for v in node.values]
            return UNKNOWN if UNKNOWN in parts else "".join(parts)
        if isinstance(node, ast.IfExp):
            test = self.value(node.test, env)
            if test is UNKNOWN:
                return UNKNOWN
            return self.value(node.body if test else node.orelse, env)
        if isinstance(node, ast.BoolOp):
            values = [self.value(v, env) for v in node.values]
            decisive = isinstance(node.op, ast.Or)
            if any(v is not UNKNOWN and bool(v) is decisive for v in values):
                return decisive
            return UNKNOWN if UNKNOWN in values else not decisive
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self.value(node.operand, env)
            return UNKNOWN if operand is UNKNOWN else not operand
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.value(node.left, env), self.value(node.right, env)
            if UNKNOWN in (left, right) or type(left) is not type(right):
                return UNKNOWN
            return left + right
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            left = self.value(node.left, env)
            right = self.value(node.comparators[0], env)
            if UNKNOWN in (left, right):
                return UNKNOWN
            op = type(node.ops[0])
            compare = {ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}
            return compare[op](left, right) if op in compare else UNKNOWN
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("tuple", "sorted", "list")
            and len(node.args) == 1
            and not node.keywords
        ):
            items = self.value(node.args[0], env)
            if isinstance(items, (tuple, list)):
                return tuple(sorted(items) if node.func.id == "sorted" else items)
        return UNKNOWN

    def _constant(self, name, module_name=None):
        module = self.source.modules[module_name or self.module]
        if name in module.constants:
            return module.constants[name]
        kind, target = module.symbols.get(name, (None, None))
        if kind == "import":
            owner, _, attr = target.rpartition(".")
            if owner in self.source.modules and owner != module.name:
                return self._constant(attr, owner)
        return UNKNOWN

    def _part(self, node, env):
        if isinstance(node, ast.Constant):
            return node.value
        value = self.value(node.value, env)
        if value is UNKNOWN:
            return UNKNOWN
        if node.conversion == ord("r"):
            value = repr(value)
        elif node.conversion == ord("s"):
            value = str(value)
        spec = "" if node.format_spec is None else self.value(node.format_spec, env)
        return UNKNOWN if spec is UNKNOWN else format(value, spec)

    def text(self, node, env):
        """The message as a string, with `…` for what is not known."""
        value = self.value(node, env)
        if isinstance(value, str):
            return value
        if isinstance(node, ast.Name) and isinstance(env.get(node.id), Partial):
            return env[node.id]
        if isinstance(node, ast.JoinedStr):
            parts = [self._part(v, env) for v in node.values]
            text = "".join(HOLE if p is UNKNOWN else p for p in parts)
            return text.replace(HOLE + HOLE, HOLE)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.text(node.left, env) + self.text(node.right, env)
        return HOLE

    def env_at(self, body, target, env):
        """`env` updated by the statements of `body` that run before `target`.

        None when the known values rule out reaching `target`.
        """
        env = dict(env)
        for statement in body:
            if _contains(statement, target):
                if isinstance(statement, ast.If):
                    taken = _contains_any(statement.body, target)
                    test = self.value(statement.test, env)
                    if test is not UNKNOWN and bool(test) is not taken:
                        return None
                    branch = statement.body if taken else statement.orelse
                    return self.env_at(branch, target, env)
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(statement, field, None)
                    if isinstance(inner, list) and _contains_any(inner, target):
                        if field == "handlers":
                            handler = next(h for h in inner if _contains(h, target))
                            return self.env_at(handler.body, target, env)
                        return self.env_at(inner, target, env)
                return env
            self._run(statement, env)
        return env

    def _run(self, statement, env):
        if isinstance(statement, ast.Assign):
            value = self.value(statement.value, env)
            if value is UNKNOWN and isinstance(statement.value, ast.JoinedStr):
                value = Partial(self.text(statement.value, env))
            for target in statement.targets:
                for name in _names(target):
                    env[name] = value if isinstance(target, ast.Name) else UNKNOWN
        elif isinstance(statement, ast.AugAssign) and isinstance(
            statement.target, ast.Name
        ):
            name = statement.target.id
            old, new = env.get(name, UNKNOWN), self.value(statement.value, env)
            known = UNKNOWN not in (old, new) and isinstance(statement.op, ast.Add)
            env[name] = old + new if known and type(old) is type(new) else UNKNOWN
        elif isinstance(statement, ast.If):
            test = self.value(statement.test, env)
            if test is not UNKNOWN:
                for inner in statement.body if test else statement.orelse:
                    self._run(inner, env)
                return
            for name in _assigned(statement):
                env[name] = UNKNOWN
        else:
            for name in _assigned(statement):
                env[name] = UNKNOWN


def _contains(node, target):
    return any(n is target for n in ast.walk(node))


def _contains_any(nodes, target):
    return any(_contains(n, target) for n in nodes)


def _names(target):
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _assigned(statement):
    names = []
    for n in ast.walk(statement):
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            for target in getattr(n, "targets", None) or [n.target]:
                names += _names(target)
        elif isinstance(n, (ast.For, ast.With, ast.NamedExpr)):
            targets = getattr(n, "items", None)
            if targets:
                names += [
                    name
                    for item in targets
                    if item.optional_vars
                    for name in _names(item.optional_vars)
                ]
            else:
                names += _names(n.target)
    return names


def _bind(source, callee, call, caller_env, caller_module):
    """The callee's parameters that the call site gives constant values."""
    function = source.functions[callee]
    evaluator = Evaluator(source, caller_module)
    env = {}
    for name, default in function.defaults().items():
        env[name] = Evaluator(source, function.module).value(default, {})
    params = function.params
    for param, arg in zip(params, call.args, strict=False):
        if isinstance(arg, ast.Starred):
            break
        env[param] = evaluator.value(arg, caller_env)
    starred = any(isinstance(a, ast.Starred) for a in call.args)
    for param in params[len(call.args) :] if not starred else []:
        env.setdefault(param, UNKNOWN)
    for keyword in call.keywords:
        if keyword.arg is None:
            env = {k: UNKNOWN for k in env}
        else:
            env[keyword.arg] = evaluator.value(keyword.value, caller_env)
    return env


# ----- the page ---------------------------------------------------------------
def collect(source=None):
    """Entry point (tuple of public names) -> sorted [(type, message)]."""
    source = source or Source()
    entries = source.entry_points()
    found = collections.defaultdict(dict)
    for qualname, function in source.functions.items():
        for raise_ in _raises(function.node):
            for path in _paths_up(source, qualname, entries):
                key, env = (), {}
                for caller, call in path:
                    caller_function = source.functions[caller]
                    evaluator = Evaluator(source, caller_function.module)
                    env = evaluator.env_at(caller_function.node.body, call, env)
                    if env is None:
                        break
                    callee = source.resolve_call(caller_function, call)[0]
                    env = _bind(source, callee, call, env, caller_function.module)
                    key += ((call.lineno, call.col_offset),)
                if env is not None:
                    evaluator = Evaluator(source, function.module)
                    env = evaluator.env_at(function.node.body, raise_, env)
                if env is None:
                    continue  # the values along this path never reach the raise
                message = (
                    evaluator.text(raise_.exc.args[0], env) if raise_.exc.args else ""
                )
                entry = path[0][0] if path else qualname
                names = tuple(entries.get(entry, [entry]))
                item = (raise_.exc.func.id, " ".join(message.split()))
                key += ((raise_.lineno, raise_.col_offset),)
                found[names].setdefault(item, key)
    return {
        names: [item for item, _ in sorted(items.items(), key=lambda kv: kv[1])]
        for names, items in found.items()
    }


def _paths_up(source, qualname, entries, seen=()):
    """Call paths [(caller, call), ...] from an entry point down to `qualname`.

    A path stops at the first public call, unless that call is `super().f()`
    or `cls(...)`: those run the same object's checks, so a subclass's
    constructor raises what its base class's raises, and a `from_...` class
    method what the constructor raises.
    """
    is_entry = qualname in entries
    callers = [
        (caller, call)
        for caller, call in source.callers.get(qualname, [])
        if caller not in seen
        and caller != qualname
        and (not is_entry or _is_same_object_call(call))
    ]
    paths = [[]] if not callers or is_entry else []
    for caller, call in callers:
        for path in _paths_up(source, caller, entries, (*seen, qualname)):
            paths.append([*path, (caller, call)])
    return paths


def render(source=None):
    source = source or Source()
    found = collect(source)
    public = collections.defaultdict(list)
    internal = []
    entry_names = {name for names in source.entry_points().values() for name in names}
    for names, items in found.items():
        if names[0] in entry_names:
            namespace = _namespace(source, names[0])
            public[namespace].append((names, items))
        else:
            internal.append((names, items))
    lines = [INTRO]
    for namespace in sorted(public):
        lines += [f"## `{namespace}`", ""]
        for names, items in sorted(public[namespace], key=lambda e: _order(e[0][0])):
            lines += _section(names, items, namespace)
    if internal:
        lines += [
            "## Raised where no public call leads statically",
            "",
            "Raised inside Keras hooks or helpers reached at run time (for example",
            "through a layer's `call`); listed by the function that raises.",
            "",
        ]
        for names, items in sorted(internal):
            lines += _section(names, items, None)
    return "\n".join(lines).rstrip("\n") + "\n"


def _namespace(source, name):
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if ".".join(parts[:i]) in source.modules:
            return ".".join(parts[:i])
    return parts[0]


def _order(name):
    # A class's constructor first, then its methods.
    return name.split(".")


def _section(names, items, namespace):
    shown = [n[len(namespace) + 1 :] if namespace else n for n in names]
    lines = [f"### {', '.join(f'`{n}`' for n in shown)}", ""]
    for error, message in items:
        lines.append(f"- `{error}`: {_markdown(message.replace(chr(10), ' '))}")
    return [*lines, ""]


def _markdown(message):
    # Outside code spans, `x[…][…]` would read as a Markdown reference link
    # (and fail `mkdocs build --strict`); an escaped second bracket does not.
    parts = message.split("`")
    return "`".join(
        p if i % 2 else p.replace("][", "]\\[") for i, p in enumerate(parts)
    )


# ----- the maintainer's coverage check ---------------------------------------
class Recorder:
    """A pytest plugin tracing exceptions raised in the package's frames."""

    def __init__(self):
        self.hits = set()  # (file, line)
        self.current = None
        self._seen = []

    def _local(self, frame, event, arg):
        if event == "exception" and self.current is not None:
            exc = arg[1]
            if not any(e is exc for e in self._seen):
                self._seen.append(exc)
                filename = os.path.relpath(frame.f_code.co_filename, ROOT)
                self.hits.add((filename, frame.f_lineno))
        return self._local

    def _global(self, frame, event, arg):
        if frame.f_code.co_filename.startswith(str(PACKAGE)):
            return self._local
        return None

    def pytest_runtest_setup(self, item):
        self.current = item.nodeid
        self._seen = []
        sys.settrace(self._global)

    def pytest_runtest_teardown(self, item):
        sys.settrace(None)
        self.current = None
        self._seen = []


def tests_using_raises():
    """Node ids of test functions whose source mentions `pytest.raises`."""
    ids = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("test")
                and "pytest.raises" in ast.get_source_segment(text, node)
            ):
                ids.append(f"{path.relative_to(ROOT)}::{node.name}")
    return ids


def check_coverage(test_paths):
    import pytest

    source = Source()
    recorder = Recorder()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "--no-header", *test_paths],
        plugins=[recorder],
    )
    if code not in (0, 5):
        print(f"warning: some tests failed (pytest exit code {code})")
    missing = []
    for qualname, function in sorted(source.functions.items()):
        filename = str(source.modules[function.module].path.relative_to(ROOT))
        for raise_ in _raises(function.node):
            lines = range(raise_.lineno, raise_.end_lineno + 1)
            if not any((filename, line) in recorder.hits for line in lines):
                missing.append(f"{filename}:{raise_.lineno} ({qualname})")
    total = sum(len(list(_raises(f.node))) for f in source.functions.values())
    print(f"{total} raise statements; {total - len(missing)} triggered by a test.")
    for item in missing:
        print(f"not triggered: {item}")
    return 1 if missing else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(OUT))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="exit 1 if the page is out of date"
    )
    mode.add_argument(
        "--check-coverage",
        nargs="*",
        metavar="TEST_PATH",
        help="run tests (default: those using pytest.raises) and list the raises "
        "that none triggers",
    )
    args = parser.parse_args(argv)
    if args.check_coverage is not None:
        return check_coverage(args.check_coverage or tests_using_raises())
    text = render()
    out = pathlib.Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date; run: {COMMAND}")
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

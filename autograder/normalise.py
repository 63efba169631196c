"""A student's function reduced to what copying cannot change cheaply.

Copying is usually disguised by edits that change no behaviour: other names, other comments
and docstrings, other whitespace, independent statements in another order, helper functions
defined in another order. :func:`normalise_functions` undoes them:

1. the cell is parsed (comments and whitespace are gone; docstrings are dropped);
2. what the lesson gave in that cell (the scaffold of the released notebook: the signature,
   the docstring, any given lines) is removed, so that only the student's own lines remain;
3. in every block, statements that do not depend on each other are put in one canonical order
   (a topological order of their dependencies, in which a statement's place depends on its
   shape and on where its values come from, never on its names or on where it was written);
4. each graded function (its body: the signature is the lesson's) is followed by the helpers of
   the cell it uses, in the order it first uses them;
5. every name the code binds (parameters, variables, loop variables, helpers) is renamed
   ``v0, v1, ...`` in order of first appearance; names it takes from outside (``np``, builtins,
   the lesson's other functions) and attribute names are kept.
"""
from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .names import python_source

#: Pseudo-name written and read by statements with effects outside the function (a bare call).
_EFFECTS = "<effects>"


def normalise_functions(cell_source: str, functions: Iterable[str], scaffold_source: str = "") -> dict[str, str]:
    """Return each graded function a cell defines, normalised, as source text.

    Parameters
    ----------
    cell_source : str
        The student's cell.
    functions : iterable of str
        The graded names the cell should define (e.g. ``["correlate2d"]``).
    scaffold_source : str
        The same cell as the lesson released it; its lines are not the student's and are removed.

    Returns
    -------
    dict of str to str
        ``{function: normalised source}`` for each of ``functions`` the cell defines with code of
        the student's own (not for the stub as released); empty when the cell does not parse.
    """
    try:
        tree = ast.parse(python_source(cell_source))
    except SyntaxError:
        return {}
    given = _given_statements(scaffold_source)
    definitions = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    units = {}
    for name in functions:
        if name not in definitions:
            continue
        ordered = _with_helpers(name, definitions, given)
        if all(isinstance(statement, ast.Pass) for statement in ordered[0].body):
            continue  # nothing of the student's own: the stub as released, or an empty body
        module = ast.Module(body=ordered, type_ignores=[])
        _rename_bound_names(module)
        graded, *helpers = ordered  # the graded function's signature is the lesson's: its body alone
        units[name] = "\n\n".join([ast.unparse(ast.Module(body=graded.body, type_ignores=[])),
                                    *map(ast.unparse, helpers)])
    return units


def tokens(normalised: str) -> list[str]:
    """The tokens of normalised source: identifiers, numbers, strings and operators, plus line breaks."""
    return re.findall(r"\n|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|\w+|[^\w\s]", normalised)


def _given_statements(scaffold_source: str) -> set[str]:
    """Shapes (``ast.dump``) of the statements the scaffold gives (the stub ``raise NotImplementedError()`` too)."""
    try:
        tree = ast.parse(python_source(scaffold_source))
    except SyntaxError:
        return set()
    given = set()
    for node in ast.walk(tree):
        for statement in getattr(node, "body", []) if isinstance(node, (ast.Module, ast.FunctionDef)) else []:
            if isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                continue
            given.add(ast.dump(statement))
    return given


@dataclass(frozen=True)
class _Context:
    """What a statement's names can be told apart by, whatever the student called them."""

    params: tuple[str, ...]  # the function's parameters, by position
    helpers: dict[str, str]  # the cell's functions -> their shape (names ignored)
    bound: frozenset[str]  # every name the function binds


def _with_helpers(name: str, definitions: dict[str, ast.stmt], given: set[str]) -> list[ast.stmt]:
    """The graded function, then each helper of the cell it uses (transitively), in order of first use."""
    helpers = {n: _shape(node) for n, node in definitions.items()}
    ordered: list[ast.stmt] = []
    queue = [name]
    while queue:
        current = queue.pop(0)
        if any(node.name == current for node in ordered):
            continue
        node = _strip(copy.deepcopy(definitions[current]), given, helpers)
        ordered.append(node)
        used = [n.id for n in _preorder(node) if isinstance(n, ast.Name) and n.id in definitions]
        queue += [u for u in dict.fromkeys(used) if u != name]
    return ordered


def _strip(node: ast.stmt, given: set[str], helpers: dict[str, str]) -> ast.stmt:
    """Remove docstrings and given statements, and put independent statements in canonical order, everywhere in ``node``."""
    params = tuple(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)) if isinstance(node, ast.FunctionDef) else ()
    bound = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
    context = _Context(params, helpers, bound | frozenset(params))
    for parent in ast.walk(node):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            kept = [s for s in block if not is_docstring(s) and ast.dump(s) not in given]
            setattr(parent, field, _canonical_order(kept, context) or [ast.Pass()])
    return node


def is_docstring(statement: ast.stmt) -> bool:
    """A string on its own as a statement: a docstring (or a string used as a comment)."""
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(
        statement.value.value, str)


def _canonical_order(block: list[ast.stmt], context: _Context) -> list[ast.stmt]:
    """The statements of a block in the one order that keeps every dependency between them.

    Statement ``j`` depends on an earlier ``i`` when one writes a name the other reads or
    writes, when either ends the block's flow (``return``, ``break``, ``continue``, a
    ``yield``) or has effects outside (a bare call), or when one can raise an exception and the
    other cannot (a check stays before or after the work it guards; two checks may swap).
    Among the statements whose dependencies are placed, the one whose key sorts first comes
    next: its shape with each name replaced by where its value comes from (a parameter by
    position, an earlier statement by place, a helper by its shape), so that renaming changes nothing.
    """
    facts = [_reads_writes(s, context.bound) for s in block]
    depends = {j: {i for i in range(j) if _conflict(facts[i], facts[j])} for j in range(len(block))}
    placed: list[int] = []
    writer: dict[str, str] = {}  # name -> where its value comes from: "3" (the 4th placed statement), "3.1" (its 2nd target)
    while len(placed) < len(block):
        ready = [j for j in range(len(block)) if j not in placed and depends[j] <= set(placed)]
        chosen = min(ready, key=lambda j: (_key(block[j], writer, context), j))
        placed.append(chosen)
        writer.update(_origins(block[chosen], facts[chosen][1], str(len(placed) - 1)))
    return [block[j] for j in placed]


def _origins(statement: ast.stmt, written: set[str], place: str) -> dict[str, str]:
    """Where each name a statement writes gets its value: the statement's place, and the position
    in an unpacked tuple (``h, w = shape``: h from "3.0", w from "3.1")."""
    origins = dict.fromkeys(written, place)
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if isinstance(target, (ast.Tuple, ast.List)):
                origins.update({e.id: f"{place}.{i}" for i, e in enumerate(target.elts) if isinstance(e, ast.Name)})
    return origins


def _key(statement: ast.stmt, writer: dict[str, str], context: _Context) -> str:
    """The statement's shape, names replaced by the origin of their values (see :func:`_canonical_order`)."""
    def origin(name: str) -> str:
        if name in writer:
            return f"@{writer[name]}"
        if name in context.params:
            return f"arg{context.params.index(name)}"
        if name in context.helpers:
            return "fn" + context.helpers[name]
        return "_" if name in context.bound else name

    return _dump_renamed(statement, origin)


def _conflict(first: tuple[set[str], set[str], bool, bool], second: tuple[set[str], set[str], bool, bool]) -> bool:
    (reads_a, writes_a, barrier_a, raises_a), (reads_b, writes_b, barrier_b, raises_b) = first, second
    return (barrier_a or barrier_b or raises_a != raises_b
            or bool(writes_a & (reads_b | writes_b)) or bool(reads_a & writes_b))


def _reads_writes(statement: ast.stmt, bound: frozenset[str]) -> tuple[set[str], set[str], bool, bool]:
    """Names a statement reads and writes (a variable of the function changed through a method or an
    item counts as written; a module such as ``np`` does not), whether it is a barrier that nothing
    may cross, and whether it raises."""
    reads, writes = set(), set()
    barrier = False
    raises = any(isinstance(node, ast.Raise) for node in _walk_same_scope(statement))
    for node in _walk_same_scope(statement):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else writes).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            writes.add(node.name)
        elif isinstance(node, (ast.Return, ast.Break, ast.Continue, ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)):
            barrier = True
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and not isinstance(node.ctx, ast.Load):
            writes |= _base_names(node)
        elif isinstance(node, ast.AugAssign):
            reads |= _base_names(node.target)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            writes |= _base_names(node.func.value) & bound  # x.append(...), x.sort(): x changes; np.zeros(...) no
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        reads.add(_EFFECTS)
        writes.add(_EFFECTS)
    return reads, writes, barrier, raises


def _walk_same_scope(node: ast.AST):
    """``ast.walk`` that does not enter a nested definition (its names are its own); the definition
    itself is yielded: it binds its name."""
    yield node
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_same_scope(child)


def _base_names(node: ast.AST) -> set[str]:
    """The variable under an attribute or subscript chain: ``out`` in ``out[i, j].real``."""
    while isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
        node = node.value
    return {node.id} if isinstance(node, ast.Name) else set()


def _shape(statement: ast.stmt) -> str:
    """The statement's structure with every name replaced by ``_``."""
    return _dump_renamed(statement, lambda name: "_")


def _dump_renamed(statement: ast.stmt, rename: Callable[[str], str]) -> str:
    """``ast.dump`` of a copy of the statement, variables renamed by ``rename``, parameters and definitions ``_``."""
    renamed = copy.deepcopy(statement)
    for node in ast.walk(renamed):
        if isinstance(node, ast.Name):
            node.id = rename(node.id)
        elif isinstance(node, ast.arg):
            node.arg = "_"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = "_"
    return ast.dump(renamed)


def _rename_bound_names(module: ast.Module) -> None:
    """Rename, in place, every name the code binds to ``v0, v1, ...`` in order of first appearance."""
    bound = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(alias.asname for alias in node.names if alias.asname)
    mapping: dict[str, str] = {}

    def canonical(name: str) -> str:
        if name not in bound:
            return name
        return mapping.setdefault(name, f"v{len(mapping)}")

    for node in _preorder(module):
        if isinstance(node, ast.Name):
            node.id = canonical(node.id)
        elif isinstance(node, ast.arg):
            node.arg = canonical(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.name = canonical(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            node.name = canonical(node.name)
        elif isinstance(node, ast.keyword) and node.arg in mapping:
            node.arg = mapping[node.arg]
        elif isinstance(node, ast.alias) and node.asname:
            node.asname = canonical(node.asname)


def _preorder(node: ast.AST):
    """Nodes in source order (``ast.walk`` is breadth-first, which would number names out of order)."""
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _preorder(child)

"""Which names a cell uses without defining them (they come from the student's code)."""
from __future__ import annotations

import ast
import builtins
import functools

from IPython.core.inputtransformer2 import TransformerManager


@functools.lru_cache(maxsize=None)
def python_source(cell_source: str) -> str:
    """Return a cell's source as plain Python (IPython magics turned into calls)."""
    return TransformerManager().transform_cell(cell_source)


def bound_names(cell_source: str) -> set[str]:
    """Names a cell binds anywhere: assignments, imports, definitions, parameters, ``except ... as``."""
    return _names(cell_source)[0]


def free_names(cell_source: str) -> set[str]:
    """Names a cell reads but never binds, builtins excepted."""
    bound, loaded = _names(cell_source)
    return loaded - bound - set(dir(builtins))


@functools.lru_cache(maxsize=None)
def _names(cell_source: str) -> tuple[set[str], set[str]]:
    bound: set[str] = set()
    loaded: set[str] = set()
    for node in ast.walk(ast.parse(python_source(cell_source))):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, loaded


def defined_names(cell_source: str) -> set[str]:
    """Names a cell defines at its top level: functions, classes, assigned names, imports."""
    names: set[str] = set()
    for node in ast.parse(python_source(cell_source)).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def imported_modules(cell_source: str) -> set[str]:
    """Absolute modules a cell imports (``import a.b`` and ``from a.b import c`` give ``a.b``)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(python_source(cell_source))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules

"""The import closure of generator modules, and a hash of their sources.

Every cache key (figures, computed inputs, trained weights, the build
fingerprint) is derived from the code that actually runs, found by reading
``import`` statements, not from hand-kept lists of files: editing any module a
computation imports changes exactly the keys of what uses it.

The closure is static (``ast``, nothing is imported) and stays inside the
``generator`` package: third-party code enters keys through versions instead.
Imports inside functions count too, so a lazy import is still a dependency.

>>> "generator/errors.py" in [p.relative_to(ROOT).as_posix() for p in files("generator.settings")]
True
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = "generator"
#: The folder holding the ``generator`` package.
ROOT = Path(__file__).resolve().parent.parent


def _path(module: str) -> Path | None:
    """The source file of a ``generator`` module, or None when there is none."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


@lru_cache(maxsize=None)
def _direct(module: str) -> tuple[str, ...]:
    """The ``generator`` modules that ``module`` imports directly (any nesting level)."""
    path = _path(module)
    if path is None:
        return ()
    tree = ast.parse(path.read_bytes(), filename=str(path))
    package = _package_of(module, path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            found.add(stem)
            # "from . import x" and "from .pkg import mod" may name submodules.
            found.update(f"{stem}.{alias.name}" for alias in node.names)
    # A module also runs its parents' __init__ when imported.
    parents = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    return tuple(sorted(m for m in found | parents if _path(m) is not None and m != module))


def modules(*roots: str) -> tuple[str, ...]:
    """Every ``generator`` module reachable by imports from ``roots`` (roots included)."""
    seen: set[str] = set()
    todo = [m for m in roots if _path(m) is not None]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_direct(module))
    return tuple(sorted(seen))


def files(*roots: str) -> tuple[Path, ...]:
    """The source files of ``modules(*roots)``."""
    return tuple(sorted({_path(m) for m in modules(*roots)}))


def digest(*roots: str) -> str:
    """SHA-256 (hex) of the closure's file names and bytes: a cache key's code part."""
    h = hashlib.sha256()
    for path in files(*roots):
        data = path.read_bytes()
        h.update(f"{path.relative_to(ROOT).as_posix()}:{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()

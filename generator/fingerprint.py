"""What a build's output depends on, summed up in one hash, so that a build with
nothing changed can stop before importing NumPy or running any producer.

The inputs:

* the code: the import closure (:mod:`generator.closure`) of the pipeline and
  of every producer module, widened by :func:`code_modules` to the modules
  that code loads by name;
* the package's data: every file of the ``generator`` folder that is not one
  of its modules (templates, YAML specs, data files, and the example
  snippets, which the pages run and show);
* the hand-written docs folder, by each file's size and modification time
  (it holds large fonts; a copy is part of the output);
* the users' specs, pyproject.toml, the producers' names, the settings, the
  Python version and the installed distributions (their dist-info names
  carry their versions).

The output folder is fingerprinted by its files' sizes and modification
times, so a hand edit or a deleted file also triggers a build. The state of
the last build is stored with a digest of itself: a state file that cannot be
read, is not what :func:`record` writes, or does not match its digest means
"build again", never an error.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

from . import closure

STATE_FILE = "build-state.json"
#: Which modules a build runs, by the hash of every source file of the package (parsing
#: them all takes far longer than a build with nothing to do).
CODE_FILE = "build-code.json"
#: What the pipeline runs before any producer.
PIPELINE = "generator.pipeline"
#: A string in the code naming a module of the package, alone or as "module:attribute".
_MODULE_NAME = re.compile(rf"({closure.PACKAGE}(?:\.\w+)+)(?::\w+)?")


def _files(folder: Path, pattern: str = "*"):
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def _package() -> Path:
    return closure.ROOT / closure.PACKAGE


def _is_module(path: Path) -> bool:
    """A ``.py`` file that Python imports as a module of the package (its folder is a package)."""
    return path.suffix == ".py" and (path.parent / "__init__.py").is_file()


def _module_name(path: Path) -> str:
    parts = path.relative_to(closure.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _fold(node: ast.JoinedStr, constants: dict[str, str]) -> str | None:
    """The value of an f-string made of literals and module-level string constants."""
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(value.value)
        elif (isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name)
              and value.value.id in constants and value.conversion == -1 and not value.format_spec):
            parts.append(constants[value.value.id])
        else:
            return None
    return "".join(parts)


@lru_cache(maxsize=None)
def _names_in(source: bytes) -> tuple[frozenset[str], bool]:
    """(the module names a source spells out in strings, whether it imports by a name
    relative to ``__package__``); cached by content, so an edit parses one file again."""
    tree = ast.parse(source)
    constants = {t.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                 for t in node.targets if isinstance(t, ast.Name)}
    found: set[str] = set()
    relative = False
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if (isinstance(first, ast.FormattedValue) and isinstance(first.value, ast.Name)
                    and first.value.id == "__package__"):
                relative = True
                continue
            text = _fold(node, constants)
        m = _MODULE_NAME.fullmatch(text) if text else None
        if m:
            found.add(m.group(1))
    return frozenset(found), relative


def _loaded_by_name(path: Path, module: str) -> set[str]:
    """The modules ``module`` names in strings or loads relative to its package.

    ``"generator.pages.beyond.training:values"`` (or an f-string of module-level
    constants with that value) in a table of producers or pages names a module
    as surely as an ``import`` does; and a call such as
    ``importlib.import_module(f"{__package__}.{name}")`` may load any module of
    the package, so all of them count.
    """
    names, relative = _names_in(path.read_bytes())
    found = set(names)
    if relative:
        found.update(_module_name(p) for p in _files(path.parent, "*.py") if _is_module(p))
    found.discard(module)
    return found


def named_closure(*roots: str) -> tuple[str, ...]:
    """:func:`generator.closure.modules` of ``roots``, widened until it holds every module
    that its modules load by name (see :func:`_loaded_by_name`)."""
    seen: set[str] = set()
    modules = set(closure.modules(*sorted(roots)))
    while modules - seen:
        for module in sorted(modules - seen):
            seen.add(module)
            path = closure._path(module)
            if path is not None:
                modules |= set(closure.modules(*sorted(_loaded_by_name(path, module))))
    return tuple(sorted(modules))


def code_modules(producer_names: list[str]) -> tuple[str, ...]:
    """The modules whose code a build runs: the closure of the pipeline, the producers,
    the example snippets and every module these load by name."""
    package = _package()
    roots = {PIPELINE} | {name.partition(":")[0] for name in producer_names}
    # snippets are programs (not modules of the package) that the pages run
    roots |= {_module_name(p) for p in _files(package, "*.py") if not _is_module(p)}
    return named_closure(*roots)


def _user_specs(settings) -> list[Path]:
    """The users' spec files, as the site finds them (light: no YAML or spec classes)."""
    from .spec_files import user_spec_files

    return sorted(user_spec_files(settings.path("user_specs")))


def _sources_hash(producer_names: list[str]) -> str:
    """SHA-256 of the names and bytes of every ``.py`` file of the package, and the producers."""
    h = hashlib.sha256("\n".join(producer_names).encode())
    package = _package()
    for path in _files(package, "*.py"):
        data = path.read_bytes()
        h.update(f"{path.relative_to(package).as_posix()}:{len(data)}:".encode())
        h.update(data)
    return h.hexdigest()


def _signed(body: dict) -> dict:
    return {**body, "digest": _digest(body)}


def _verified(path: Path) -> dict | None:
    """The JSON object stored by :func:`_store`, or None when missing, unreadable or altered."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):  # missing, a folder, not UTF-8, not JSON
        return None
    if not isinstance(data, dict) or data.get("digest") != _digest(data):
        return None
    return data


def _store(path: Path, body: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_signed(body), sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def _code_modules_memo(settings, producer_names: list[str]) -> tuple[str, ...]:
    """:func:`code_modules`, remembered in the cache by the hash of all the sources."""
    memo = settings.path("cache_dir") / CODE_FILE
    sources = _sources_hash(producer_names)
    known = _verified(memo)
    if known is not None and known.get("sources") == sources and isinstance(known.get("modules"), list):
        return tuple(known["modules"])
    # a source changed: imports parsed earlier in this process (mkdocs serve runs the
    # generator again in one process) may be stale
    closure._direct.cache_clear()
    modules = code_modules(producer_names)
    try:
        _store(memo, {"sources": sources, "modules": list(modules)})
    except OSError:
        pass  # a read-only cache only costs time
    return modules


def inputs(settings, producer_names: list[str]) -> str:
    """The hash of everything the generated files are computed from."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    # the list is closed under imports already: hash its files without parsing them again
    for module in _code_modules_memo(settings, producer_names):
        path = closure._path(module)
        if path is not None:
            add(f"code:{module}", path.read_bytes())
    package = _package()
    for path in _files(package):
        if not _is_module(path):
            add(path.relative_to(package).as_posix(), path.read_bytes())
    user_specs = settings.path("user_specs")
    if hasattr(settings, "docs_dir"):
        docs = settings.path("docs_dir")
        # the users' specs are read by content below; an output folder inside is output
        skip = (user_specs, settings.path("out_dir"))
        for path in _files(docs):
            if not any(folder in path.parents for folder in skip):
                info = path.stat()
                add(f"docs:{path.relative_to(docs).as_posix()}",
                    f"{info.st_size}:{info.st_mtime_ns}".encode())
    for path in _user_specs(settings):
        add(f"user:{path.relative_to(user_specs).as_posix()}", path.read_bytes())
    pyproject = settings.root / "pyproject.toml"
    if pyproject.is_file():
        add("pyproject.toml", pyproject.read_bytes())
    add("producers", "\n".join(producer_names).encode())
    add("settings", repr(settings).encode())
    add("python", sys.version.encode())
    installed = sorted(
        p.name for entry in map(Path, sys.path) if entry.is_dir() for p in entry.glob("*.dist-info")
    )
    add("distributions", "\n".join(installed).encode())
    return h.hexdigest()


def outputs(out_dir: Path) -> dict[str, list[int]]:
    """``{path: [size, mtime_ns]}`` of every file in the output folder."""
    manifest = {}
    for path in _files(out_dir):
        info = path.stat()
        manifest[path.relative_to(out_dir).as_posix()] = [info.st_size, info.st_mtime_ns]
    return manifest


def _digest(body: dict) -> str:
    body = {k: v for k, v in body.items() if k != "digest"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def built_before(settings) -> bool:
    """Whether a build's state is on record. Without one :func:`unchanged` is None
    whatever the inputs, so a build can start its work before they are hashed. A stat,
    not a read: a warm build verifies the state once, in :func:`unchanged`."""
    return (settings.path("cache_dir") / STATE_FILE).is_file()


def unchanged(settings, inputs_hash: str) -> int | None:
    """The number of output files when the last successful build had these inputs and
    its output is untouched; None when a build is needed."""
    state = _verified(settings.path("cache_dir") / STATE_FILE)
    out_dir = settings.path("out_dir")
    if (state is None or state.get("inputs") != inputs_hash
            or state.get("out_dir") != str(out_dir) or not isinstance(state.get("outputs"), dict)):
        return None
    current = outputs(out_dir)
    return len(current) if state["outputs"] == current else None


def record(settings, inputs_hash: str) -> None:
    """Remember a successful build's inputs and the state of its output folder."""
    out_dir = settings.path("out_dir")
    _store(settings.path("cache_dir") / STATE_FILE,
           {"inputs": inputs_hash, "out_dir": str(out_dir), "outputs": outputs(out_dir)})

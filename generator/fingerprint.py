"""What a build's output depends on, summed up in one hash, so that a build with
nothing changed can stop before importing NumPy or running any producer.

The inputs: every file of the ``generator`` package (code, templates, specs,
data), the users' specs, pyproject.toml, the producers' names, the Python
version and the installed distributions (their dist-info names carry their
versions). The output folder is fingerprinted by its files' sizes and
modification times, so a hand edit or a deleted file also triggers a build.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STATE_FILE = "build-state.json"


def _files(folder: Path, pattern: str = "*"):
    if folder.is_dir():
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def inputs(settings, producer_names: list[str]) -> str:
    """The hash of everything the generated files are computed from."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    for path in _files(PACKAGE):
        add(path.relative_to(PACKAGE).as_posix(), path.read_bytes())
    for path in _files(settings.path("user_specs"), "*.yaml"):
        add(f"user:{path.name}", path.read_bytes())
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


def unchanged(settings, inputs_hash: str) -> int | None:
    """The number of output files when the last successful build had these inputs and
    its output is untouched; None when a build is needed."""
    state_file = settings.path("cache_dir") / STATE_FILE
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    out_dir = settings.path("out_dir")
    if state.get("inputs") != inputs_hash or state.get("out_dir") != str(out_dir):
        return None
    current = outputs(out_dir)
    return len(current) if state.get("outputs") == current else None


def record(settings, inputs_hash: str) -> None:
    """Remember a successful build's inputs and the state of its output folder."""
    out_dir = settings.path("out_dir")
    state_file = settings.path("cache_dir") / STATE_FILE
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state = {"inputs": inputs_hash, "out_dir": str(out_dir), "outputs": outputs(out_dir)}
    tmp = state_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    tmp.replace(state_file)

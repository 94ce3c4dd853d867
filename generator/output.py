"""The output folder: what the generator may write, and the only files it may remove.

The generator owns its output folder through a manifest, ``.atlas-manifest.json``,
listing every file it wrote there. It removes a file only when the manifest
lists it, and it refuses, before writing anything, a folder that could hold
someone else's work: the project root, the hand-written docs folder, a folder
holding or inside them, a folder with a ``.git``, or any folder with a file the
manifest does not list (a scratch ``thesis.md`` included).

Files are written to a temporary name and renamed into place, so a reader never
sees half a file; the manifest is written first as the union of the old and new
file lists and last as the new list, so a build killed at any moment leaves a
manifest that still covers every file on disk, and the next build cleans up.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

log = logging.getLogger(__name__)

MANIFEST = ".atlas-manifest.json"
#: Files the generator leaves behind only when killed mid-write: always its own.
_TMP_SUFFIX = ".atlas-tmp"


def _tmp_name(name: str) -> str:
    """The name a file is first written under, beside its own (:func:`_write`)."""
    return f".{name}{_TMP_SUFFIX}"

_OWNER = "convnet-atlas generator"


@dataclass(frozen=True)
class Output:
    """One generated file: ``path`` relative to the output folder, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class SyncReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def read_manifest(out_dir: Path) -> set[str] | None:
    """The files the generator wrote into ``out_dir``; None when it has no manifest.

    A manifest that cannot be read is treated as absent: the folder is then
    refused if it holds anything, never emptied.
    """
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("owner") != _OWNER:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return {f for f in files if _safe_relative(f)}


#: The longest file name, in bytes, that the file systems the site is built on hold.
NAME_MAX = 255


def _safe_relative(rel: str) -> bool:
    """A relative path below the output folder whose every name, and the temporary name
    each file is first written under, the file system can hold: a path checked here
    before anything is written cannot fail half-way through a sync."""
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ".." not in parts and "" not in parts \
        and "." not in parts and "\0" not in rel \
        and all(len(_tmp_name(p).encode("utf-8", "surrogateescape")) <= NAME_MAX
                for p in parts)


def _write_manifest(out_dir: Path, files) -> None:
    data = json.dumps({"owner": _OWNER, "files": sorted(files)}, indent=0) + "\n"
    _write(out_dir / MANIFEST, data.encode("utf-8"))


def _write(target: Path, data: bytes) -> None:
    tmp = target.with_name(_tmp_name(target.name))
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _existing(out_dir: Path):
    """Every file and link below ``out_dir``, relative, without following links."""
    for folder, dirs, files in os.walk(out_dir):
        base = Path(folder)
        for name in dirs:
            if (base / name).is_symlink():
                yield (base / name).relative_to(out_dir).as_posix()
        for name in files:
            yield (base / name).relative_to(out_dir).as_posix()


def check_out_dir(out_dir: Path, *, root: Path, protected: list[Path]) -> set[str]:
    """Refuse an output folder the generator may not own; return its manifest's files.

    ``protected`` are folders the generator only reads (the hand-written docs,
    the users' specs): the output folder may be neither one of them, nor
    inside one, nor hold one.
    """
    out = out_dir.resolve()
    where = _shown(out_dir)
    for keep in [root, *protected]:
        keep = keep.resolve()
        if _inside(keep, out):
            raise UserError(
                f"{where}: refusing to use this output folder: it is or contains "
                f"{_shown(keep)}, whose files the generator does not own (choose an empty or new folder)"
            )
        if keep != root.resolve() and _inside(out, keep):
            raise UserError(
                f"{where}: refusing to use this output folder: it is inside {_shown(keep)}, "
                "which holds hand-written files (choose a folder outside it)"
            )
    if out.exists() and not out.is_dir():
        raise UserError(f"{where}: the output folder is a file, not a folder")
    if (out / ".git").exists():
        raise UserError(f"{where}: refusing to use this output folder: it holds a .git repository")
    owned = read_manifest(out) if out.is_dir() else set()
    present = [rel for rel in _existing(out)] if out.is_dir() else []
    foreign = sorted(
        rel for rel in present
        if rel != MANIFEST and not rel.endswith(_TMP_SUFFIX) and (owned is None or rel not in owned)
    )
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise UserError(
            f"{where}: refusing to write here: it holds files the generator did not write "
            f"({foreign[0]}{more}); move them away or choose another output folder"
        )
    return owned or set()


def sync_tree(outputs: list[Output], out_dir: Path, *, root: Path, protected: list[Path]) -> SyncReport:
    """Make ``out_dir`` hold exactly ``outputs``, touching only files whose bytes differ.

    Unchanged files keep their modification time, so ``mkdocs serve`` sees no
    change and does not rebuild again (no loop). Only files of the previous
    manifest are ever removed.
    """
    owned = check_out_dir(out_dir, root=root, protected=protected)
    wanted = {o.path: o.data for o in outputs}
    for rel in wanted:
        if not _safe_relative(rel) or rel == MANIFEST or rel.endswith(_TMP_SUFFIX):
            raise ValueError(f"not a path the generator may write: {rel!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_manifest(out_dir, owned | set(wanted))
    written, unchanged = [], 0
    for rel, data in sorted(wanted.items()):
        target = out_dir / rel
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, data)
        written.append(rel)
    removed = []
    for rel in sorted(owned - set(wanted)):
        target = out_dir / rel
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed.append(rel)
    for tmp in sorted(out_dir.rglob(f"*{_TMP_SUFFIX}")):
        if tmp.name != _tmp_name(MANIFEST):
            tmp.unlink()
    _write_manifest(out_dir, wanted)
    # Folders left empty by removed files go too; only below out_dir, only empty.
    for rel in removed:
        parent = (out_dir / rel).parent
        while parent != out_dir and _inside(parent, out_dir):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    for rel in written:
        log.info("wrote %s", rel)
    for rel in removed:
        log.info("removed %s", rel)
    return SyncReport(tuple(written), tuple(removed), unchanged)

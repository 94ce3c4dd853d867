"""A build with nothing changed runs no producer; any change to its inputs or outputs does.

The inputs' code part is the import closure of what a build runs: editing a module the
build imports (or loads by name) starts a build, editing one it never imports does not.
The recorded state is a cache like any other: unreadable or altered means "build again".
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import fields
from pathlib import Path

import pytest

from generator import fingerprint, pipeline
from generator.render import Output
from generator.settings import Settings, load_settings
from tests.scratch import edit, scratch  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[1]
CALLS: list[str] = []
HAS_DOCS_DIR = "docs_dir" in {f.name for f in fields(Settings)}


def _one_page(ctx):
    CALLS.append("page")
    yield Output("page.md", b"# Page\n")


def _another_page(ctx):
    CALLS.append("another")
    yield Output("another.md", b"# Another\n")


def _settings(tmp_path: Path, cache: Path | None = None):
    """Settings of the real project with every folder a build reads or writes under tmp_path;
    ``cache``: a warm cache folder to start from (a copy, without any recorded state)."""
    if cache is not None:
        shutil.copytree(cache, tmp_path / "cache")
    folders = dict(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                   user_specs=tmp_path / "docs/specs")
    if HAS_DOCS_DIR:
        folders["docs_dir"] = tmp_path / "docs"
    (tmp_path / "docs/specs").mkdir(parents=True)
    (tmp_path / "docs/index.md").write_text("# Home\n")
    return load_settings(ROOT, **{k: str(v) for k, v in folders.items()})


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """A cache folder after one build (trained weights, figures, prepared data), with the
    build's recorded state and code memo removed: each test copies it, so the builds below
    test the fingerprint without each training the networks and drawing every figure."""
    base = tmp_path_factory.mktemp("warm")
    pipeline.build(_settings(base), [_one_page])
    cache = base / "cache"
    for name in (fingerprint.STATE_FILE, fingerprint.CODE_FILE):
        (cache / name).unlink(missing_ok=True)
    return cache


def _count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


@pytest.mark.site  # runs the whole generator: not in the fast lane
def test_second_build_runs_nothing_until_something_changes(tmp_path, warm_cache):
    settings = _settings(tmp_path, warm_cache)
    CALLS.clear()
    pipeline.build(settings, [_one_page])
    assert CALLS == ["page"]

    report = pipeline.build(settings, [_one_page])
    assert CALLS == ["page"]  # nothing ran
    assert report.written == () and report.unchanged == _count_files(tmp_path / "out")

    (tmp_path / "out/page.md").write_text("# Edited by hand\n")
    report = pipeline.build(settings, [_one_page])
    assert CALLS == ["page", "page"] and report.written == ("page.md",)

    pipeline.build(settings, [_one_page, _another_page])
    assert CALLS == ["page", "page", "page", "another"]

    (tmp_path / "out/another.md").unlink()
    pipeline.build(settings, [_one_page, _another_page])
    assert (tmp_path / "out/another.md").read_bytes() == b"# Another\n"


@pytest.mark.site  # runs the whole generator: not in the fast lane
def test_a_failed_build_is_not_recorded(tmp_path, warm_cache):
    settings = _settings(tmp_path, warm_cache)

    def broken(ctx):
        raise RuntimeError("kaput")
        yield  # pragma: no cover

    with pytest.raises(RuntimeError, match="kaput"):
        pipeline.build(settings, [broken])
    assert not (tmp_path / "cache" / fingerprint.STATE_FILE).exists()


# ------------------------------------------------------------ the state file is a cache


def _damage_writing(text: str):
    return lambda path: path.write_text(text)


def _truncate(path: Path):
    path.write_bytes(path.read_bytes()[:20])


def _a_folder(path: Path):
    path.unlink()
    path.mkdir()


def _not_utf8(path: Path):
    path.write_bytes(b"\xff\xfe{}")


@pytest.mark.parametrize("damage", [
    _damage_writing("[]"), _damage_writing("null"), _damage_writing("{}"), _damage_writing('"x"'),
    _damage_writing(""), _truncate, _a_folder, _not_utf8,
], ids=["list", "null", "empty-object", "string", "empty", "truncated", "folder", "not-utf8"])
@pytest.mark.site  # runs the whole generator: not in the fast lane
def test_an_unreadable_state_means_build_again(tmp_path, warm_cache, damage):
    settings = _settings(tmp_path, warm_cache)
    CALLS.clear()
    pipeline.build(settings, [_one_page])
    damage(tmp_path / "cache" / fingerprint.STATE_FILE)
    if (tmp_path / "cache" / fingerprint.STATE_FILE).is_dir():
        (tmp_path / "cache" / fingerprint.STATE_FILE).rmdir()  # record() writes a file again
    pipeline.build(settings, [_one_page])
    assert CALLS == ["page", "page"]
    pipeline.build(settings, [_one_page])  # recorded again: nothing to do
    assert CALLS == ["page", "page"]


@pytest.mark.site  # runs the whole generator: not in the fast lane
def test_a_state_that_does_not_match_its_digest_means_build_again(tmp_path, warm_cache):
    """Readable and plausible, but not what the last build recorded: the output was edited
    by hand and the state rewritten to say it is current."""
    settings = _settings(tmp_path, warm_cache)
    CALLS.clear()
    pipeline.build(settings, [_one_page])
    state_file = tmp_path / "cache" / fingerprint.STATE_FILE
    (tmp_path / "out/page.md").write_text("# Edited by hand\n")
    state = json.loads(state_file.read_text())
    state["outputs"] = fingerprint.outputs(tmp_path / "out")
    state_file.write_text(json.dumps(state))
    pipeline.build(settings, [_one_page])
    assert CALLS == ["page", "page"]
    assert (tmp_path / "out/page.md").read_bytes() == b"# Page\n"


def test_a_damaged_code_memo_is_recomputed(tmp_path):
    settings = _settings(tmp_path)
    names = [pipeline._name(p) for p in pipeline.PRODUCERS]
    good = fingerprint.inputs(settings, names)
    memo = tmp_path / "cache" / fingerprint.CODE_FILE
    known = json.loads(memo.read_text())
    for text in ("[]", "null", "{", json.dumps({**known, "modules": ["generator.errors"]})):
        memo.write_text(text)
        assert fingerprint.inputs(settings, names) == good, text


# ------------------------------------------------------------ what counts as an input

PRODUCER_NAMES = [pipeline._name(p) for p in pipeline.PRODUCERS]


@pytest.fixture(scope="module")
def memo_dir(tmp_path_factory):
    """One cache folder for the code memo: unedited copies of the package share one entry."""
    return tmp_path_factory.mktemp("memo")


def _inputs(settings) -> str:
    return fingerprint.inputs(settings, PRODUCER_NAMES)


@pytest.mark.parametrize("path", [
    "pipeline.py",  # the pipeline itself
    "text.py",  # imported by the producers
    "nn/windows.py",  # imported through generator.nn by the tables and the training
    "figures/image_grid.py",  # loaded by name: importlib.import_module(f"{__package__}.{module}")
    "pages/gallery.py",  # a producer named in pipeline.PRODUCERS
    "templates/pages/architectures/network.md.j2",  # a template
    "specs/lenet5.yaml",  # a built-in spec
    "examples/padding.py",  # a snippet the pages run and show
])
def test_editing_what_a_build_uses_starts_a_build(scratch, memo_dir, path):
    settings = load_settings(ROOT, cache_dir=str(memo_dir))
    before = _inputs(settings)
    edit(scratch / path)
    assert _inputs(settings) != before


def test_editing_what_no_build_imports_changes_nothing(scratch, memo_dir):
    settings = load_settings(ROOT, cache_dir=str(memo_dir))
    (scratch / "unused_by_the_build.py").write_text('"""Imported by nothing."""\n')
    before = _inputs(settings)
    edit(scratch / "unused_by_the_build.py")
    edit(scratch / "mkdocs_hook.py")  # run by MkDocs, not by a build
    assert _inputs(settings) == before


def test_a_new_import_joins_the_inputs(scratch, memo_dir):
    settings = load_settings(ROOT, cache_dir=str(memo_dir))
    (scratch / "helper_module.py").write_text("VALUE = 1\n")
    before = _inputs(settings)
    edit(scratch / "text.py", "\nfrom . import helper_module  # noqa: F401\n")
    with_import = _inputs(settings)
    assert with_import != before
    edit(scratch / "helper_module.py")
    assert _inputs(settings) != with_import


def test_an_import_added_while_serving_is_seen(scratch, memo_dir):
    """mkdocs serve re-runs the generator in one process: a new import must not be hidden
    by imports parsed before the edit."""
    settings = load_settings(ROOT, cache_dir=str(memo_dir))
    (scratch / "helper_module.py").write_text("VALUE = 1\n")
    _inputs(settings)
    text = scratch / "text.py"
    text.write_bytes(text.read_bytes() + b"\nfrom . import helper_module  # noqa: F401\n")
    with_import = _inputs(settings)  # no cache_clear(), as in a long-running process
    (scratch / "helper_module.py").write_text("VALUE = 2\n")
    assert _inputs(settings) != with_import


def test_every_module_is_in_the_build_but_the_hook():
    """The closure finds what the build really runs, loaded by name included: every module
    but those MkDocs or the CLI alone run (checked here so a name-based load that the
    closure cannot see shows up as a module missing from this set)."""
    modules = set(fingerprint.code_modules(PRODUCER_NAMES))
    package = ROOT / "generator"
    every = {fingerprint._module_name(p) for p in package.rglob("*.py")
             if "__pycache__" not in p.parts and fingerprint._is_module(p)}
    assert every - modules <= {"generator.mkdocs_hook", "generator.tables.forward"}
    assert "generator.figures.image_grid" in modules and "generator.mkdocs_hook" not in modules


@pytest.mark.parametrize("finder", ["specs.user_spec_files", "fallback"])
def test_users_specs_and_hand_written_docs_are_inputs(tmp_path, monkeypatch, finder):
    if finder == "fallback":
        from generator import specs

        monkeypatch.delattr(specs, "user_spec_files", raising=False)
    settings = _settings(tmp_path)
    before = _inputs(settings)
    specs = tmp_path / "docs/specs"
    seen = {before}
    for name in ("mine.yaml", "other.yml", "LOUD.YAML", "Mixed.Yml"):
        (specs / name).write_text("name: x\n")
        now = _inputs(settings)
        assert now not in seen, name
        seen.add(now)
    (specs / "notes.txt").write_text("not a spec\n")
    assert _inputs(settings) in seen
    if HAS_DOCS_DIR:
        index = tmp_path / "docs/index.md"
        info = index.stat()
        os.utime(index, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
        assert _inputs(settings) not in seen


def test_listing_user_specs_imports_no_spec_parser():
    """The fingerprint finds the users' spec files without importing YAML or the spec
    classes: a no-op build stops before it would need them (a fresh interpreter)."""
    import subprocess
    import sys

    code = ("import sys; from generator import spec_files; "
            "spec_files.user_spec_files('docs/specs'); "
            "print(sorted(m for m in sys.modules if m.startswith(('yaml', 'generator.specs', 'numpy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    assert out.strip() == "[]"


class _Stage:
    """A figure stage that draws nothing and logs what the build asks of it."""

    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.log.append("closed")

    def train(self):
        self.log.append("train")

    def resolve(self):
        from generator.figures.library import FigureRefs

        self.log.append("resolve")
        return FigureRefs()

    def finish(self):
        from generator.figures.library import FigureRefs
        from generator.figures.stage import StageResult

        self.log.append("finish")
        return StageResult([], FigureRefs())

    def fill(self, data):
        return data


def test_a_first_build_trains_while_it_hashes_its_inputs(tmp_path, monkeypatch):
    """With no build on record a build will run whatever the inputs are: the training
    starts before they are hashed. With one on record nothing of the figure stage starts
    before the hash says a build is needed (a warm build starts no process)."""
    log: list[str] = []
    monkeypatch.setattr(pipeline, "figure_steps", lambda settings: _Stage(log))
    hashing = fingerprint.inputs
    monkeypatch.setattr(fingerprint, "inputs", lambda *a: log.append("hash") or hashing(*a))
    settings = _settings(tmp_path)
    assert not fingerprint.built_before(settings)
    pipeline.build(settings, [_one_page])
    assert log == ["train", "hash", "resolve", "finish", "closed"]
    assert fingerprint.built_before(settings)
    log.clear()
    pipeline.build(settings, [_one_page])  # nothing changed
    assert log == ["hash"]
    (tmp_path / "docs/index.md").write_text("# Home, edited\n")
    log.clear()
    pipeline.build(settings, [_one_page])
    assert log == ["hash", "resolve", "finish", "closed"]


def test_pages_are_written_while_the_figures_draw(tmp_path, monkeypatch):
    """The producers before the first of ``AFTER_DRAWING`` run between the stage's resolve
    and finish (while its pool draws); that one and those after it once it is done."""
    log: list[str] = []

    def early(ctx):
        log.append("early")
        yield Output("early.md", b"# Early\n")

    def late(ctx):
        log.append("late")
        yield Output("late.md", b"# Late\n")

    def last(ctx):
        log.append("last")
        return ()

    monkeypatch.setattr(pipeline, "figure_steps", lambda settings: _Stage(log))
    monkeypatch.setattr(pipeline, "AFTER_DRAWING", (pipeline._name(late),))
    outputs = pipeline.collect(_settings(tmp_path), [early, late, last])
    assert log == ["resolve", "early", "finish", "closed", "late", "last"]
    assert [o.path for o in outputs][-2:] == ["early.md", "late.md"]
    log.clear()
    monkeypatch.setattr(pipeline, "AFTER_DRAWING", ())
    pipeline.collect(_settings(tmp_path / "again"), [early, late, last])
    assert log == ["resolve", "early", "late", "last", "finish", "closed"]

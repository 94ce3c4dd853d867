"""Rendering: identical bytes every time, the cache, sizes, and no matplotlib when warm."""

from __future__ import annotations

import gzip
import subprocess
import sys
from dataclasses import replace

from generator.figures import build, library
from generator.figures.catalog import Figure

from .conftest import ROOT

#: Limits a test holds every figure to (the page weight a reader downloads).
MAX_BYTES = {"gif": 300_000, "svg": 500_000, "png": 300_000}
#: What a reader transfers: the site's host compresses SVG (text) with gzip; the largest
#: architecture diagrams (Inception-v3: 60 boxes, every edge labelled) are ~320 KB raw
#: but ~25 KB compressed, their glyphs drawn as paths being most of the bytes.
MAX_SVG_GZIP = 60_000

SMALL = [
    Figure("t-conv", "sliding_window", {"size": 4, "kernel": 3}),
    Figure("t-pool", "pooling", {"x": [[1, 2], [3, 4]], "kernel": 2}),
    Figure("t-values", "conv_values", {"x": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                                       "w": [[1, 0], [0, -1]], "animate": True}),
]


def test_same_bytes_every_render_in_process_and_in_workers(tmp_path):
    figs = library.resolve(SMALL)
    one = build.render_all(figs, tmp_path / "a", jobs=1)
    two = build.render_all(figs, tmp_path / "b", jobs=2)
    assert one.files.keys() == two.files.keys()
    for path in one.files:
        assert one.files[path] == two.files[path], path
    assert sorted(one.rendered) == sorted(two.rendered) == ["t-conv", "t-pool", "t-values"]


def test_no_date_in_files(rendered):
    for path, data in rendered.items():
        if path.endswith(".svg"):
            assert b"<dc:date>" not in data, path
        if path.endswith(".png"):
            assert b"tIME" not in data and b"Software" not in data, path


def test_cache_hits_and_exactly_one_miss_after_a_change(tmp_path):
    cache = tmp_path / "cache"
    first = build.render_all(library.resolve(SMALL), cache, jobs=1)
    assert len(first.rendered) == 3
    again = build.render_all(library.resolve(SMALL), cache, jobs=1)
    assert again.rendered == [] and sorted(again.cached) == ["t-conv", "t-pool", "t-values"]
    assert again.files == first.files
    changed = [SMALL[0], replace(SMALL[1], params={**SMALL[1].params, "mode": "avg"}), SMALL[2]]
    third = build.render_all(library.resolve(changed), cache, jobs=1)
    assert third.rendered == ["t-pool"]


def test_sizes_within_limits(resolved, rendered):
    for r in resolved:
        for part, path in r.ref.files.items():
            limit = MAX_BYTES[part.rsplit(".", 1)[-1]]
            assert len(rendered[path]) < limit, f"{path}: {len(rendered[path])} bytes > {limit}"
            if path.endswith(".svg"):
                packed = len(gzip.compress(rendered[path], mtime=0))
                assert packed < MAX_SVG_GZIP, f"{path}: {packed} bytes gzipped > {MAX_SVG_GZIP}"


def test_warm_build_does_not_import_matplotlib(rendered):
    code = (
        "import sys\n"
        "from generator.figures import build, library\n"
        "from generator.settings import load_settings\n"
        "from pathlib import Path\n"
        f"cache = load_settings(Path({str(ROOT)!r})).path('cache_dir') / 'figures'\n"
        "report = build.render_all(library.resolved_catalog(), cache)\n"
        "assert report.rendered == [], report.rendered\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

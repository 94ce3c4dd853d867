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


def test_fast_encoders_give_the_bytes_of_the_plain_ones():
    """The palette PNG from raw pixels is the PNG of the decoded PNG the figure saves;
    frames mapped on the GIF palette together are each frame mapped alone."""
    import io

    import matplotlib
    import numpy as np
    from matplotlib.figure import Figure
    from PIL import Image

    from generator.figures import encode, style

    with matplotlib.rc_context(style.RC):
        fig = Figure(figsize=(1.7, 1.1))
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.imshow(np.arange(35.0).reshape(5, 7), cmap="viridis")
        ax.text(1, 1, "Ag", color="white")
        fast = encode.png_palette(fig)
        rgb = Image.open(io.BytesIO(encode.png(fig, 1.5 * style.GIF_DPI))).convert("RGB")
    plain = rgb.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    plain.save(buf, format="PNG", optimize=True)
    assert fast == buf.getvalue()

    rng = np.random.default_rng(0)
    frames = [Image.fromarray(rng.integers(0, 256, (9, 13, 3), dtype=np.uint8), "RGB")
              for _ in range(3)]
    alone = [f.quantize(palette=encode._palette_image(), dither=Image.Dither.NONE) for f in frames]
    together = encode._on_palette(frames)
    assert [f.tobytes() for f in together] == [f.tobytes() for f in alone]
    assert len({f.tobytes() for f in alone}) == 3  # the frames differ
    assert together[0].getpalette() == alone[0].getpalette()

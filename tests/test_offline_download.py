"""The offline bundle's download link (issue #18): the site's address has one place,
``site_url`` of mkdocs.yml (with MkDocs' ``!ENV`` override); the home page writes
``{{ offline_download }}``; ``python -m generator publish`` puts the bundle where that
address points, inside a site this project built."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.__main__ import main
from generator.commands import publish
from generator.commands.site import MARK
from generator.errors import UserError
from generator.settings import (OFFLINE_DOWNLOAD, OFFLINE_TOKEN, builder_site_url, load_settings,
                                offline_download_url)

ROOT = Path(__file__).resolve().parents[1]


def _project(tmp_path: Path, site_url_line: str, page: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\n{site_url_line}\ndocs_dir: build/docs\n",
                                         encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("line, env, expected", [
    ("site_url: https://a.example/docs", {}, "https://a.example/docs/"),
    ("site_url: 'https://a.example/'  # the address", {}, "https://a.example/"),
    ('site_url: !ENV [SITE_A, "https://default.example/x/"]', {}, "https://default.example/x/"),
    ('site_url: !ENV [SITE_A, "https://default.example/x/"]', {"SITE_A": "https://o.example/f"},
     "https://o.example/f/"),
    ('site_url: !ENV [SITE_A, SITE_B, "https://d.example/"]', {"SITE_B": "https://b.example/"},
     "https://b.example/"),
    ("site_url: !ENV SITE_A", {"SITE_A": "https://s.example/"}, "https://s.example/"),
    ("site_url: !ENV SITE_A", {}, ""),
    ("", {}, ""),
])
def test_the_site_address_is_read_as_mkdocs_reads_it(tmp_path, monkeypatch, line, env, expected):
    for name in ("SITE_A", "SITE_B"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = _project(tmp_path, line)
    assert builder_site_url(root) == expected
    assert load_settings(root).site_url == expected


def test_mkdocs_itself_reads_the_same_address(monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.setenv("ATLAS_SITE_URL", "https://fork.example/atlas")
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert load_settings(ROOT).site_url == config["site_url"] == "https://fork.example/atlas/"


def test_the_token_becomes_the_published_bundle_address(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE_A", raising=False)
    root = _project(tmp_path, 'site_url: !ENV [SITE_A, "https://d.example/atlas/"]',
                    f"[zip]({OFFLINE_TOKEN})\n")
    copied = {o.path: o.data for o in pipeline.handwritten(load_settings(root))}
    assert copied["index.md"] == b"[zip](https://d.example/atlas/downloads/convnet-atlas-offline.zip)\n"


def test_a_page_with_the_token_and_no_site_address_is_one_line(tmp_path):
    root = _project(tmp_path, "", f"[zip]({OFFLINE_TOKEN})\n")
    with pytest.raises(UserError, match=r"^docs/index.md: writes \{\{ offline_download \}\}, "
                                        r"but mkdocs.yml: no site_url"):
        pipeline.handwritten(load_settings(root))


def test_the_home_page_links_the_bundle_through_the_token():
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert f"]({OFFLINE_TOKEN})" in home
    assert OFFLINE_DOWNLOAD not in home  # the path has one place: the settings


def _bundle(path: Path, names=("convnet-atlas/index.html", "convnet-atlas/a.html")) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name in names:
            z.writestr(name, f"<p>{name}</p>")
    return path


def _built_site(root: Path) -> Path:
    site = root / "site"
    site.mkdir()
    (site / MARK).write_text("built\n", encoding="utf-8")
    (site / "index.html").write_text("home", encoding="utf-8")
    return site


def test_publish_puts_the_bundle_where_the_link_points(tmp_path):
    root = _project(tmp_path, "site_url: https://d.example/atlas/")
    site = _built_site(root)
    bundle = _bundle(tmp_path / "b.zip")
    assert main(["publish", str(bundle), "--root", str(root)]) == 0
    target = site / OFFLINE_DOWNLOAD
    assert target.read_bytes() == bundle.read_bytes()
    link = offline_download_url(load_settings(root))
    assert link == "https://d.example/atlas/" + target.relative_to(site).as_posix()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary left


@pytest.mark.parametrize("make, message", [
    (lambda p: p, "not found; run make offline first"),
    (lambda p: (p.write_bytes(b"<html>not a zip"), p)[1], "not a zip file"),
    (lambda p: _bundle(p, ["site/index.html"]), "no convnet-atlas/index.html in it"),
])
def test_publish_refuses_what_is_not_the_bundle(tmp_path, capsys, make, message):
    root = _project(tmp_path, "site_url: https://d.example/")
    site = _built_site(root)
    bundle = make(tmp_path / "b.zip")
    assert main(["publish", str(bundle), "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (site / OFFLINE_DOWNLOAD).exists()


def test_publish_writes_only_into_a_site_this_project_built(tmp_path, capsys):
    root = _project(tmp_path, "site_url: https://d.example/")
    (root / "site").mkdir()
    (root / "site" / "mine.txt").write_text("a user's file", encoding="utf-8")
    assert main(["publish", str(_bundle(tmp_path / "b.zip")), "--root", str(root)]) == 2
    assert "no site built by this project; run make site first" in capsys.readouterr().err
    assert sorted(p.name for p in (root / "site").iterdir()) == ["mine.txt"]


def _folder(root: Path) -> Path:
    site = root / "offline-site"
    (site / "b").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (site / "b" / "page.html").write_text("<p>b</p>", encoding="utf-8")
    (site / "a.js").write_text("x", encoding="utf-8")
    return site


def test_the_bundle_zip_is_reproducible(tmp_path, monkeypatch):
    from generator.commands.offline import write_zip

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = _folder(tmp_path)
    write_zip(folder, tmp_path / "one.zip")
    (folder / "a.js").touch()  # a newer date on disk changes nothing
    write_zip(folder, tmp_path / "two.zip")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["convnet-atlas/a.js", "convnet-atlas/b/page.html",
                                               "convnet-atlas/index.html"]
        assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
        assert {i.external_attr >> 16 for i in infos} == {0o644}
        assert z.read("convnet-atlas/b/page.html") == b"<p>b</p>"


def test_clean_removes_the_bundle_and_never_a_users_file(tmp_path):
    from generator.commands.offline import write_zip
    from generator.settings import OFFLINE_BUNDLE

    root = _project(tmp_path, "site_url: https://d.example/")
    bundle = root / OFFLINE_BUNDLE
    write_zip(_folder(tmp_path), bundle)
    assert main(["clean", "--root", str(root)]) == 0
    assert not bundle.exists()
    bundle.write_bytes(b"my own notes, not a zip")
    assert main(["clean", "--root", str(root)]) == 0
    assert bundle.read_bytes() == b"my own notes, not a zip"

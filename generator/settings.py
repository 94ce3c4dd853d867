"""Where the generator reads and writes, from ``[tool.convnet-atlas]`` in pyproject.toml.

Every field has a default, so a project without the table still builds.
Paths are relative to the project root (the folder holding pyproject.toml).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import UserError


@dataclass(frozen=True)
class Settings:
    root: Path
    #: Hand-written pages, stylesheets and scripts; the generator only reads them.
    docs_dir: str = "docs"
    #: The builder's docs folder, assembled by the generator: a copy of ``docs_dir``
    #: plus every generated page, figure and download, and the nav file. Git-ignored;
    #: the generator owns it (a manifest lists its files) and writes nothing else.
    #: Read from ``docs_dir:`` in the builder's config (mkdocs.yml), its one place.
    out_dir: str = ""
    #: Every ``*.yaml`` network spec here becomes a page in the Architectures section.
    user_specs: str = "docs/specs"
    #: Content-addressed cache of expensive results (figures, trained weights).
    cache_dir: str = ".cache/generator"
    #: The built site (``make site``), swapped in whole after a successful build.
    site_dir: str = "site"
    #: The project's public repository, where readers clone the package that runs the
    #: snippets. Read from ``Repository`` in ``[project.urls]`` of pyproject.toml, its one
    #: place; hand-written pages write ``{{ repository }}`` (see :data:`REPOSITORY_TOKEN`).
    repository: str = field(default="", compare=False)
    #: The published site's address (``site_url`` of the builder's config, with its
    #: ``!ENV`` override applied as MkDocs applies it), where the offline bundle is
    #: published beside the pages (:data:`OFFLINE_DOWNLOAD`).
    site_url: str = field(default="", compare=False)

    def path(self, name: str) -> Path:
        """The absolute path of the setting ``name``."""
        value = getattr(self, name)
        if not value:  # out_dir without a builder config naming it
            builder_docs_dir(self.root)  # raises the one-line reason
        return self.root / value


def load_settings(root: Path, **overrides: str | None) -> Settings:
    """Read ``[tool.convnet-atlas]`` from ``root/pyproject.toml``; CLI overrides win."""
    root = Path(root).resolve()
    table: dict = {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"{pyproject.name}: not valid TOML: {exc}") from None
        table = _table(data, "tool", "convnet-atlas")
        repository = _table(data, "project", "urls").get("Repository", "")
    known = {f.name for f in fields(Settings)} - {"root", "repository"}
    for key, value in table.items():
        if key not in known:
            raise UserError(
                f"pyproject.toml: [tool.convnet-atlas]: unknown setting '{key}' "
                f"(expected one of {', '.join(sorted(known))})"
            )
        if not isinstance(value, str) or "\0" in value:
            raise UserError(
                f"pyproject.toml: [tool.convnet-atlas]: {key} must be a path string, "
                f"found {type(value).__name__} {value!r}"
            )
    settings = replace(Settings(root=root), **table)
    if pyproject.exists() and isinstance(repository, str):
        settings = replace(settings, repository=repository)
    settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    if (root / BUILDER_CONFIG).is_file():
        config = _builder_config(root)  # read once for both settings it names
        if not settings.out_dir:
            settings = replace(settings, out_dir=builder_docs_dir(root, config))
        settings = replace(settings, site_url=builder_site_url(root, config))
    return settings


def _table(data: dict, *keys: str) -> dict:
    """``data[keys[0]][keys[1]]...``, {} where absent; a UserError where one is no table."""
    for i, key in enumerate(keys):
        data = data.get(key, {})
        if not isinstance(data, dict):
            raise UserError(f"pyproject.toml: {'.'.join(keys[:i + 1])} must be a table, "
                            f"found {type(data).__name__} {data!r}"[:200])
    return data


BUILDER_CONFIG = "mkdocs.yml"
#: What a hand-written Markdown page writes where the repository's address goes; the
#: copy into the builder's folder puts :attr:`Settings.repository` there.
REPOSITORY_TOKEN = "{{ repository }}"
#: The offline bundle ``make offline`` writes (``python -m generator offline``), relative
#: to the project root.
OFFLINE_BUNDLE = "build/convnet-atlas-offline.zip"
#: Where the offline bundle is published, relative to the site's
#: root: ``make pages`` copies it there (``python -m generator publish``), and
#: hand-written pages link to it by writing :data:`OFFLINE_TOKEN`.
OFFLINE_DOWNLOAD = "downloads/convnet-atlas-offline.zip"
#: What a hand-written Markdown page writes for the bundle's published address:
#: :attr:`Settings.site_url` joined with :data:`OFFLINE_DOWNLOAD`. It is absolute, so
#: the link works from a local build and from the bundle itself, which cannot hold it.
OFFLINE_TOKEN = "{{ offline_download }}"


def _builder_config(root: Path) -> str:
    """The text of the builder's config."""
    try:
        return (root / BUILDER_CONFIG).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{BUILDER_CONFIG}: not UTF-8 text ({exc.reason} at byte {exc.start})") \
            from None
    except OSError:
        raise UserError(
            f"{BUILDER_CONFIG}: not found in {root}; it names the output folder (docs_dir), "
            "or pass --out"
        ) from None


def builder_docs_dir(root: Path, text: str | None = None) -> str:
    """``docs_dir`` of the builder's config (its ``text``, if read already): the folder
    the generator assembles."""
    text = _builder_config(root) if text is None else text
    found = re.search(r"(?m)^docs_dir:[ \t]*['\"]?([^'\"#\s]+)", text)
    if found is None:
        raise UserError(f"{BUILDER_CONFIG}: no docs_dir: line; it names the folder the generator writes")
    return found.group(1)


def _config_line(text: str, key: str) -> str | None:
    """The raw value of a top-level ``key:`` in the builder's config ``text``, comment dropped."""
    found = re.search(rf"(?m)^{key}:[ \t]*(.*?)[ \t]*(?:#.*)?$", text)
    return found.group(1) if found else None


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def builder_site_url(root: Path, text: str | None = None) -> str:
    """``site_url`` of the builder's config (its ``text``, if read already), as MkDocs
    reads it: ``!ENV NAME`` or ``!ENV [NAME, ..., default]`` takes the first of the
    variables that is set, else the default; the result ends with one slash ("" when
    there is none)."""
    raw = _config_line(_builder_config(root) if text is None else text, "site_url")
    if not raw:
        return ""
    if raw.startswith("!ENV"):
        body = raw[len("!ENV"):].strip()
        if body.startswith("["):
            items = [_unquote(item) for item in body.strip("[]").split(",")]
            names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, "")
        else:
            names, default = [_unquote(body)], ""
        value = next((os.environ[n] for n in names if n in os.environ), default)
    else:
        value = _unquote(raw)
    return value.rstrip("/") + "/" if value else ""


def offline_download_url(settings: Settings) -> str:
    """The published offline bundle's address (what :data:`OFFLINE_TOKEN` becomes)."""
    if not settings.site_url:
        raise UserError(f"{BUILDER_CONFIG}: no site_url; the offline bundle's download link needs "
                        "the published site's address")
    return settings.site_url + OFFLINE_DOWNLOAD

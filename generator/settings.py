"""Where the generator reads and writes, from ``[tool.convnet-atlas]`` in pyproject.toml.

Every field has a default, so a project without the table still builds.
Paths are relative to the project root (the folder holding pyproject.toml).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import UserError


@dataclass(frozen=True)
class Settings:
    root: Path
    #: Generated Markdown, figures and downloads; git-ignored, owned by the generator.
    out_dir: str = "docs/generated"
    #: Every ``*.yaml`` network spec here becomes a page in the Architectures section.
    user_specs: str = "docs/specs"
    #: Content-addressed cache of expensive results (figures, trained weights).
    cache_dir: str = ".cache/generator"

    def path(self, name: str) -> Path:
        """The absolute path of the setting ``name``."""
        return self.root / getattr(self, name)


def load_settings(root: Path, **overrides: str | None) -> Settings:
    """Read ``[tool.convnet-atlas]`` from ``root/pyproject.toml``; CLI overrides win."""
    root = Path(root).resolve()
    table: dict = {}
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{pyproject.name}: not valid TOML: {exc}") from None
        table = data.get("tool", {}).get("convnet-atlas", {})
    known = {f.name for f in fields(Settings)} - {"root"}
    for key, value in table.items():
        if key not in known:
            raise UserError(
                f"pyproject.toml: [tool.convnet-atlas]: unknown setting '{key}' "
                f"(expected one of {', '.join(sorted(known))})"
            )
        if not isinstance(value, str):
            raise UserError(
                f"pyproject.toml: [tool.convnet-atlas]: {key} must be a path string, "
                f"found {type(value).__name__} {value!r}"
            )
    settings = replace(Settings(root=root), **table)
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

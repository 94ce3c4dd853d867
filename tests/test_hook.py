"""The MkDocs hook adds generated pages to the nav without duplicating listed ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")

_spec = importlib.util.spec_from_file_location(
    "mkdocs_hook", Path(__file__).parents[1] / "generator/mkdocs_hook.py")
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)


def test_generated_pages_join_their_section_once():
    nav = [
        {"Home": "index.md"},
        {"Architectures": ["architectures/index.md", {"VGG-16": "generated/architectures/vgg16.md"}]},
    ]
    hook._extend_nav(nav, {
        "Architectures": [["VGG-16", "architectures/vgg16.md"], ["My net", "architectures/user/mynet.md"]],
        "Beyond": [["IoU", "beyond/iou.md"]],
    })
    assert nav == [
        {"Home": "index.md"},
        {"Architectures": [
            "architectures/index.md",
            {"VGG-16": "generated/architectures/vgg16.md"},
            {"My net": "generated/architectures/user/mynet.md"},
        ]},
        {"Beyond": [{"IoU": "generated/beyond/iou.md"}]},
    ]

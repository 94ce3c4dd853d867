"""torchvision as a test oracle: the model a spec names in its ``torchvision`` field.

torchvision is optional (like torch). torchvision 0.28 from PyPI installs beside the
local torch 2.13 CPU build, but its compiled operators do not load against it
("operator torchvision::nms does not exist"). Model definitions never use them; the
module that registers their meta kernels is replaced by an empty one before the import.
"""

from __future__ import annotations

import sys
import types

import pytest


def models():
    """``torchvision.models``, or skip the calling test saying why it is absent."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    sys.modules.setdefault("torchvision._meta_registrations",
                           types.ModuleType("torchvision._meta_registrations"))
    try:
        import torchvision.models
    except Exception as exc:  # not installed, or built for another torch
        pytest.skip(f"torchvision is not importable: {type(exc).__name__}: {exc}"[:200])
    del torch
    return torchvision.models


def build(network):
    """The torchvision model ``network.torchvision`` names, in eval mode, seeded; skip
    when the spec names none or torchvision is absent."""
    if not network.torchvision:
        pytest.skip(f"{network.id} has no torchvision counterpart")
    tv = models()
    import torch
    torch.manual_seed(0)
    kwargs = {"aux_logits": False, "init_weights": False} if network.torchvision in (
        "googlenet", "inception_v3") else {}
    return getattr(tv, network.torchvision)(weights=None, **kwargs).eval()

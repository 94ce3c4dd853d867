"""torchvision as a test oracle: the model a spec names in its ``torchvision`` field.

torchvision is optional (like torch). It is imported the way the importer imports it
(:mod:`generator.importers.torchvision_models`: beside the local torch build, with the
empty module that stands in for its compiled operators' registrations).
"""

from __future__ import annotations

import pytest


def models():
    """``torchvision.models``, or skip the calling test saying why it is absent."""
    pytest.importorskip("torch", reason="PyTorch is not installed (optional oracle)")
    from generator.errors import UserError
    from generator.importers.torchvision_models import models as import_models

    try:
        return import_models()
    except UserError as exc:
        pytest.skip(str(exc))


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

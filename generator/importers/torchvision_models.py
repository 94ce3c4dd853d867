"""``torchvision.models``, importable beside a torch build it was not compiled for.

torchvision 0.28 from PyPI installs beside the local torch 2.13 CPU build, but its
compiled operators do not load against it ("operator torchvision::nms does not exist").
Model definitions never use them; the module that registers their meta kernels is
replaced by an empty one before the import. The tests' oracle
(tests/torchvision_oracle.py) imports torchvision through here too.
"""

from __future__ import annotations

import sys
import types

from ..errors import UserError

__all__ = ["models"]


def models():
    """``torchvision.models``, or a UserError saying why it cannot be imported."""
    sys.modules.setdefault("torchvision._meta_registrations",
                           types.ModuleType("torchvision._meta_registrations"))
    try:
        import torchvision.models
    except Exception as exc:  # not installed, or built for another torch
        raise UserError(f"torchvision is not importable: {type(exc).__name__}: "
                        f"{str(exc)[:200]} (pip install torchvision)") from None
    return torchvision.models

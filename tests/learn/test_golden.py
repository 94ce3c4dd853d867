"""The site's trained networks, bit for bit: the SHA-256 of every run's stored parameters and
of its history, recorded on main before training learned to skip work nobody reads (issue
#20: the fixed layers run once per image, a transposed convolution builds one im2col matrix
for its two gradients, evaluation computes no loss gradient and runs the convolutions in
small chunks, Adam works in place).

A matrix product's last bits depend on the BLAS kernel (OpenBLAS picks one per CPU) and on
NumPy, so the digests hold for the platform they were recorded on; elsewhere the test skips,
and test_training.py's comparisons of each shortcut with the plain computation still run.
A change meant to alter the weights updates these digests in the same commit and says why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from generator import learn
from generator.learn.store import content_digest
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]

#: platform -> run -> (SHA-256 of the parameters, SHA-256 of the history), as
#: generator.learn.store.content_digest computes them.
GOLDEN = {
    "numpy 2.4.6, openblas SkylakeX": {
        "lenet5": ("bc923fc2aca90a0954602bc41af1bb45ed59610bd5e85025695ff591580c63a3",
                   "54256e14bab5749acd3b71654354a22e7fbf839fec68292b180c5a2a8cc9b879"),
        "base": ("6e651441986b54533713e3f96d7f9897a12f3fd27d11958ca66d07e2f22a3750",
                 "e4f121c51ec2959601f40fc81d5eb6e09060ab2cca69027896b2defafde868a6"),
        "head all": ("3c8072e8f400b0d2bfdca9ef981c7e6dae6fee9888a34f825a48be04b129c2b0",
                     "206e98e0b30246eeb54dca0cca59e5989ed9378c3672fef75dc2a93da60c82d6"),
        "scratch all": ("e5a27261897b6a71a73cbaec6bac3b5b08551b96ffaab21143d68135c763bbac",
                        "537a6139fc1f7324fb3756854ff394dfd068218efa6d52fd6db667580b721185"),
        "head few": ("0097b1cd0f4a770027c532891df8fdd7cd55652a9bd27d877e0a1bc1d3d50f64",
                     "cfa0dccca917027b327702e921586f7e7369a5072b71ebfe6afb0a54a1100d65"),
        "scratch few": ("e05ea8a473cb2be77b6d5b199f35fd9ac14e33a9e8e4396ff0f840a0954d6892",
                        "1f25e3ba84685e37ea2e60d8b353c16a6482b6944a26de652e5da28325507f6d"),
        "autoencoder": ("4335f4ddadd3bb5f40a61afe64c5965ab7504201ccd083611e991e2ed4b3fb5a",
                        "1b285f90b5f4020d1bfc99e77af2f5ebe0f466a652fdf493edf08a352ed6d13b"),
    },
}


def platform() -> str:
    """NumPy's version and the kernel of the BLAS library NumPy ships (threadpoolctl's
    report; SciPy's or PyTorch's own copies, loaded too, compute nothing here)."""
    from threadpoolctl import threadpool_info

    numpy_libs = Path(np.__file__).parent.name + ".libs"
    blas = sorted({f"{i['internal_api']} {i.get('architecture')}" for i in threadpool_info()
                   if i["user_api"] == "blas" and Path(i["filepath"]).parent.name == numpy_libs})
    return ", ".join([f"numpy {np.__version__}", *blas])


def runs(cache: Path) -> dict:
    tr = learn.transfer(cache)
    found = {"lenet5": learn.lenet5(cache), "base": tr.base, "autoencoder": learn.autoencoder(cache)}
    for amount in ("all", "few"):
        found[f"head {amount}"], found[f"scratch {amount}"] = tr.head[amount], tr.scratch[amount]
    return found


def test_every_run_is_bit_for_bit_what_it_was():
    golden = GOLDEN.get(platform())
    if golden is None:
        pytest.skip(f"digests recorded on {', '.join(GOLDEN)} only, not on {platform()}")
    found = runs(load_settings(ROOT).path("cache_dir"))
    assert sorted(found) == sorted(golden)
    for name, run in found.items():
        got = (content_digest(run.params), content_digest(run.history.as_arrays()))
        assert got == golden[name], name

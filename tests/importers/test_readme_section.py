"""The README's "See your own model in three commands" works: its export script writes
an ONNX file that ``import`` turns into a spec (the third command, make site, is what
every spec goes through)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from generator.__main__ import main
from generator.specs import load_spec
from generator.tables import layer_table
from tests.conftest import ROOT

SECTION = (ROOT / "README.md").read_text(encoding="utf-8").partition(
    "## See your own model in three commands")[2].partition("\n## ")[0]


def test_the_three_commands(tmp_path, monkeypatch, capsys):
    pytest.importorskip("torch", reason="PyTorch is not installed (optional)")
    pytest.importorskip("onnx", reason="onnx is not installed (optional extra)")
    block = re.search(r"```sh\n(.*?)```", SECTION, re.S).group(1)
    script = re.search(r"<<'EOF'\n(.*?)\nEOF\n", block, re.S).group(1)
    commands = block.partition("\nEOF\n")[2].strip().splitlines()
    assert commands == [".venv/bin/python -m generator import mynet.onnx -o "
                        "docs/specs/mynet.yaml", "make site"]
    subprocess.run([sys.executable, "-W", "ignore", "-c", script], cwd=tmp_path, check=True,
                   timeout=300)
    monkeypatch.chdir(tmp_path)
    assert main(commands[0].split()[3:]) == 0, capsys.readouterr().err
    net = load_spec(tmp_path / "docs" / "specs" / "mynet.yaml")
    table = layer_table(net)
    # the batchnorm folded into the first convolution: 3·3·3·16 + 16 (its bias), no bn
    assert [r.type for r in table.walk()][:3] == ["conv", "relu", "maxpool"]
    assert table.totals.params == 448 + 4640 + 330
    assert table.rows[-1].output_shape == (10,) and net.input == (3, 32, 32)
    assert "folded into 1 convolution stays folded" in net.description

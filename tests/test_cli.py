"""The command line reports the environment's failures and Ctrl-C as one line, no traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run_with_producer(body: str, *argv: str) -> subprocess.CompletedProcess:
    code = (
        "import errno, os, sys, generator.pipeline as p\n"
        f"def producer(ctx):\n    {body}\n    yield from ()\n"
        "p.PRODUCERS[:] = [producer]\n"
        "import generator.fingerprint as f\nf.unchanged = lambda *a, **k: None\n"
        f"from generator.__main__ import main\nsys.exit(main({list(argv)!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    result = _run_with_producer("raise KeyboardInterrupt", "build", "--out", str(tmp_path / "o"))
    assert result.returncode == 130
    assert result.stderr.count("\n") == 1 and "interrupted" in result.stderr
    assert "Traceback" not in result.stderr


def test_disk_full_names_the_path_and_the_cause(tmp_path):
    target = tmp_path / "o" / "page.md"
    result = _run_with_producer(
        f"raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), {str(target)!r})",
        "build", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "page.md" in result.stderr and "No space left on device" in result.stderr
    assert "internal error" not in result.stderr


def test_an_output_folder_that_cannot_be_made_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--out", "/proc/atlas-cannot-be-here/docs"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "/proc/atlas-cannot-be-here" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_table_prints_markdown_even_to_a_terminal_and_text_when_asked(capsys):
    """Markdown stays the default whatever stdout is (scripts depend on it; --help says
    so); ``--format text`` is the terminal's table, ``md`` the old name of markdown."""
    import os
    import pty

    from generator.__main__ import main
    from generator.specs import load_builtin
    from generator.tables import layer_table
    from generator.tables.formats import to_markdown, to_text

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "table", "lenet5"], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    table = layer_table(load_builtin("lenet5"))
    assert b"".join(chunks).decode().replace("\r\n", "\n") == to_markdown(table)

    for fmt, write in (("text", to_text), ("md", to_markdown), ("markdown", to_markdown)):
        assert main(["table", "lenet5", "--format", fmt]) == 0
        assert capsys.readouterr().out == write(table), fmt
    try:
        main(["table", "--help"])
    except SystemExit:
        pass
    assert "markdown (the default, for scripts and pipes, whether or not the output is a " \
           "terminal), text" in " ".join(capsys.readouterr().out.split())


def test_ctrl_c_while_the_pool_works_is_one_line_and_stops_the_workers(tmp_path):
    """Ctrl-C goes to every process of the terminal's group: the figure pool's workers
    printed a traceback each (about 40 lines), and a running job ran on. Now the workers
    ignore it, the build's process says one line, and the jobs are stopped at once."""
    import os
    import signal
    import time

    code = (
        "import signal, sys, time\n"
        # as in a terminal: a shell's background job (a CI runner, nohup ... &) starts
        # with Ctrl-C ignored, and Python keeps an ignored SIGINT ignored
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from pathlib import Path\n"
        "from generator.figures.build import Renderer\n"
        "try:\n"
        f"    with Renderer(Path({str(tmp_path)!r}), jobs=2) as r:\n"
        "        [j.result() for j in [r.submit(time.sleep, 0.2) for _ in range(2)]]\n"
        "        job = r.submit(time.sleep, 60)\n"  # one worker busy, one idle
        "        time.sleep(1.0)\n"
        "        print('ready', flush=True)\n"
        "        job.result()\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', file=sys.stderr)\n"
        "    sys.exit(130)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert proc.stdout.readline() == "ready\n"
        start = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130
    assert err == "interrupted\n", err
    assert time.monotonic() - start < 20  # the 60 s jobs did not run on

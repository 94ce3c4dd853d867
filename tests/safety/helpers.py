"""What the safety tests share: a scratch project, and the CLI run in this process."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

from generator.__main__ import main


def project(root: Path, settings: str = "") -> Path:
    """A scratch project: pyproject.toml with ``settings`` in ``[tool.convnet-atlas]``,
    the builder's config, a hand-written page and a file of the user's."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.convnet-atlas]\n"
                                         f"{settings}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\ndocs_dir: build/docs\n", encoding="utf-8")
    (root / "docs/specs").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes/thesis.md").write_text("three years of work\n", encoding="utf-8")
    return root


def files(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (links not followed) and its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


@contextmanager
def within(seconds: float):
    """Fail, instead of hanging the suite, when the block runs longer than ``seconds``."""
    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(capsys, *argv: str, seconds: float = 10) -> tuple[int, str]:
    """``python -m generator ARGV`` in this process: its exit status and its stderr."""
    capsys.readouterr()
    with within(seconds):
        code = main(list(argv))
    return code, capsys.readouterr().err


def one_line_error(capsys, *argv: str, seconds: float = 10) -> str:
    """The one-line message of a command that must fail with exit status 2."""
    code, err = run(capsys, *argv, seconds=seconds)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err[len("error: "):].rstrip("\n")

"""`make run PORT=… HOST=…` serves the demo where it is asked to, with links that follow."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_make_run_takes_another_port_and_host_and_links_follow():
    commands = _dry_run("PORT=8123", "HOST=0.0.0.0")
    assert "runserver 0.0.0.0:8123" in commands
    assert 'SITE_URL="${SITE_URL:-http://127.0.0.1:8123}"' in commands
    assert "[::1],*" in commands  # listening on every address, any host is allowed


def test_make_run_defaults_to_the_local_port_8000():
    commands = _dry_run()
    assert "runserver 127.0.0.1:8000" in commands
    assert "http://127.0.0.1:8000" in commands

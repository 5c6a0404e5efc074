"""`fairtrack serve` as an operator runs it: a real process, its standard error read back."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from accounts.security import pseudonym

SECRET = "serve-test-secret-0123456789-abcdefghij"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_served_app_writes_its_access_log_with_pseudonyms_and_no_addresses(tmp_path: Path) -> None:
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
           "FAIRTRACK_SECRET_KEY": SECRET}
    fairtrack = [sys.executable, "-m", "cli.main"]
    subprocess.run([*fairtrack, "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen([*fairtrack, "serve", "--port", str(port)], env=env,  # noqa: S603
                              stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/health?probe=1", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert answer.status_code == 200
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    lines = [line for line in log.splitlines() if '"GET /api/v1/health"' in line]
    assert lines, log
    assert pseudonym(SECRET, "address", "127.0.0.1") in lines[0]
    assert "127.0.0.1" not in "\n".join(lines)

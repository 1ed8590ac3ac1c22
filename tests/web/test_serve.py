"""`chiso serve` — what `make run` ends with — runs the production web server (gunicorn) and
the background worker, prints the URL, answers HTTP without naming its software, refuses an
oversized body before reading it, restarts a worker that dies, and stops both on SIGTERM."""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Output:
    """The server's output, read by a thread so that the test can wait for a line."""

    def __init__(self, proc):
        self.lines: list[str] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines[after:]:
                    if m := re.search(pattern, line):
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"no line matching {pattern!r}:\n" + "".join(self.lines))
                self.cond.wait(left)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(os.environ.get("CHISO_DATABASE_URL", "").startswith("postgres"),
                    reason="runs on its own SQLite file; the PostgreSQL pass covers the rest")
def test_serve_runs_web_and_worker(sqlite_copy):
    path, env = sqlite_copy
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "chiso.cli", "serve", "--port", str(port), "--reminders-every", "0",
                             "--workers", "1", "--threads", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = Output(proc)
    try:
        worker_pid = int(out.wait_for(r"Tiến trình nền đang chạy \(pid (\d+)\)").group(1))
        out.wait_for(rf"chiso đang chạy tại  http://127\.0\.0\.1:{port}/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=10) as response:
            assert response.status == 200 and "Đăng nhập" in response.read().decode()
            assert response.headers["Server"] == "chiso"  # not gunicorn/x.y, not WSGIServer/CPython
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]

        # 300 MB announced by an anonymous client: refused from the header, the body never read
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.putrequest("POST", "/dang-nhap/")
        conn.putheader("Content-Length", str(300 * 1024 * 1024))
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.endheaders()
        conn.send(b"x" * 65536)
        assert conn.getresponse().status == 413
        conn.close()

        # the background worker dies: it is started again
        assert alive(worker_pid)
        seen = len(out.lines)
        os.kill(worker_pid, signal.SIGKILL)
        out.wait_for(r"Tiến trình nền đã dừng", after=seen, timeout=10)
        new_pid = int(out.wait_for(r"Tiến trình nền đang chạy \(pid (\d+)\)", after=seen, timeout=15).group(1))
        assert new_pid != worker_pid and alive(new_pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=40)
    time.sleep(0.5)
    assert not alive(new_pid)  # and stopped with the server
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2)


def test_reminders_run_periodically_until_stopped(monkeypatch):
    from chiso.web.management.commands import serve

    stop, calls = threading.Event(), []

    def fake_call(name):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("SMTP down")  # logged, the loop goes on
        stop.set()

    monkeypatch.setattr(serve, "call_command", fake_call)
    serve.remind_periodically(0, stop)
    assert calls == ["send_reminders", "send_reminders"]


def test_the_local_demo_links_emails_to_the_port_it_serves(monkeypatch, settings):
    """`PORT=8123 make run`: reminders and invitations link to :8123, not to the default :8000;
    a deployment's CHISO_SITE_URL is never changed."""
    from chiso.web.management.commands.serve import Command

    monkeypatch.delenv("CHISO_SITE_URL", raising=False)
    settings.LOCAL_DEMO, settings.CHISO_SITE_URL = True, "http://127.0.0.1:8000"
    Command.follow_port("0.0.0.0", "8123")
    assert settings.CHISO_SITE_URL == os.environ["CHISO_SITE_URL"] == "http://127.0.0.1:8123"

    monkeypatch.setenv("CHISO_SITE_URL", "https://chiso.daklak.gov.vn")
    settings.CHISO_SITE_URL = "https://chiso.daklak.gov.vn"
    Command.follow_port("127.0.0.1", "9000")
    assert settings.CHISO_SITE_URL == "https://chiso.daklak.gov.vn"

"""`chiso serve` — what `make run` ends with — starts the web server and the background
worker, prints the URL, answers HTTP, and stops both on SIGTERM."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(os.environ.get("CHISO_DATABASE_URL", "").startswith("postgres"),
                    reason="runs on its own SQLite file; the PostgreSQL pass covers the rest")
def test_serve_runs_web_and_worker(tmp_path):
    env = {**os.environ, "CHISO_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}", "CHISO_VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "chiso.cli", "migrate", "-v", "0"], env=env, check=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "chiso.cli", "serve", "--port", str(port), "--reminders-every", "0"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if f"http://127.0.0.1:{port}/" in line:
                break
        assert any("Tiến trình nền đang chạy" in line for line in lines), lines
        worker_pid = int(next(line for line in lines if "pid" in line).split("pid ")[1].rstrip(").\n"))
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2) as response:
                    assert response.status == 200 and "Đăng nhập" in response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("no answer from chiso serve:\n" + "".join(lines))
        os.kill(worker_pid, 0)  # the worker is alive
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)  # and stopped with the server


def test_reminders_run_periodically_until_stopped(monkeypatch):
    import threading

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

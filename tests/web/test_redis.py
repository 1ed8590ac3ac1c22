"""Beyond one machine: CHISO_REDIS_URL alone puts the task queue on Redis (RQ), the cache in
Redis and the sessions in front of the database, so that web processes keep no state. The
tests that need a real Redis run in CI's Redis pass (`.ci/run` starts redis-server)."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

REDIS_URL = os.environ.get("CHISO_REDIS_URL", "")
pytestmark = pytest.mark.jobs
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis (CI's Redis pass sets CHISO_REDIS_URL)")
SHOW = ("from django.conf import settings as s; import json; print(json.dumps([s.TASKS['default']['BACKEND'], "
        "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, 'django_rq' in s.INSTALLED_APPS]))")


def settings_with(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"CHISO_REDIS_URL", "CHISO_TASKS_BACKEND"}}
    out = subprocess.run([sys.executable, "-m", "chiso.cli", "shell", "--no-imports", "-c", SHOW], capture_output=True,
                         text=True, env={**base, "CHISO_VAR_DIR": str(tmp_path), **env}, timeout=120)
    out.shown = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else None
    return out


def test_one_variable_moves_queue_cache_and_sessions_to_redis(tmp_path):
    out = settings_with(tmp_path, CHISO_REDIS_URL="redis://127.0.0.1:6399/3")
    assert out.shown == ["django_tasks_rq.RQBackend", "django.core.cache.backends.redis.RedisCache",
                                      "django.contrib.sessions.backends.cached_db", True], out.stderr
    out = settings_with(tmp_path)
    assert out.shown == ["django_tasks_db.DatabaseBackend", "django.core.cache.backends.locmem.LocMemCache",
                                      "django.contrib.sessions.backends.db", False], out.stderr
    out = settings_with(tmp_path, CHISO_REDIS_URL="redis://127.0.0.1:6399/3", CHISO_TASKS_BACKEND="database")
    assert out.shown[0] == "django_tasks_db.DatabaseBackend"
    out = settings_with(tmp_path, CHISO_TASKS_BACKEND="rq")
    assert out.returncode == 2 and "CHISO_REDIS_URL" in out.stderr


@needs_redis
def test_cache_is_shared_through_redis():
    from django.core.cache import cache

    cache.set("chiso-test", {"a": 1}, 30)
    assert cache.get("chiso-test") == {"a": 1}
    cache.delete("chiso-test")


@needs_redis
def test_a_worker_process_runs_queued_tasks_from_redis(sqlite_copy):
    """`chiso worker` (RQ, a forked work horse per job) takes a task enqueued by this process."""
    from chiso.ingest.tasks import read_upload

    path, env = sqlite_copy
    env["CHISO_REDIS_URL"] = REDIS_URL
    result = read_upload.enqueue(10**9)  # an upload discarded before the worker got to it
    worker = subprocess.Popen([sys.executable, "-m", "chiso.cli", "worker"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            result.refresh()
            if result.is_finished:
                break
            time.sleep(0.3)
        assert result.status == "SUCCESSFUL" and result.return_value == "gone", result.status
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

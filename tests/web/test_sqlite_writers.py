"""SQLite waits instead of failing: three people confirming the same plan at the same moment
on one database file (the demo's web workers and background worker share it) all get an
answer — one loads the plan, two find it loaded — where they used to get "database is
locked". The same run with the old deferred transactions shows the failure, so this test
can fail."""
import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("CHISO_DATABASE_URL", "").startswith("postgres"),
                                reason="about SQLite's locking; PostgreSQL has row locks")


def confirm_three_at_once(env, *flags) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.web.concurrent_writers", *flags], env=env,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_concurrent_confirms_queue_on_sqlite(sqlite_copy):
    path, env = sqlite_copy
    result = confirm_three_at_once(env)
    assert result == {"done": ["existing", "existing", "loaded"], "errors": [], "plans": 1}


def test_deferred_transactions_were_the_cause(sqlite_copy):
    path, env = sqlite_copy
    result = confirm_three_at_once(env, "--deferred")
    assert any("database is locked" in e for e in result["errors"]), result
    assert result["plans"] == 1  # and nothing half-saved


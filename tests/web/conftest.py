"""A migrated SQLite file, made once per session, for tests that run chiso in other processes
(the server, concurrent writers): each copies it instead of migrating again (~10 s)."""
import os
import shutil
import subprocess
import sys

import pytest


def sqlite_env(path, var_dir) -> dict:
    env = {**os.environ, "CHISO_DATABASE_URL": f"sqlite:///{path}", "CHISO_VAR_DIR": str(var_dir)}
    for name in ("CHISO_REDIS_URL", "CHISO_TASKS_BACKEND"):
        env.pop(name, None)  # these processes run on their own file with the database queue
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "chiso.sqlite3"
    subprocess.run([sys.executable, "-m", "chiso.cli", "migrate", "-v", "0"], env=sqlite_env(path, folder),
                   check=True, timeout=300)
    return path


@pytest.fixture
def sqlite_copy(migrated_sqlite, tmp_path):
    """(path of a fresh copy of the migrated database, environment pointing at it)."""
    path = tmp_path / "chiso.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return path, sqlite_env(path, tmp_path)

"""Backup and restore: the database as a portable dump and every stored file, with a manifest
of checksums (`chiso backup DIR`, `chiso restore DIR`).

A backup directory holds
- `database.jsonl.gz`: every row of every app (Django's JSON-lines serializer, foreign keys to
  content types and permissions by natural key), loadable into SQLite or PostgreSQL;
- `files/…`: every file the database refers to (evidence, uploads, source documents), under
  its storage name — or, with `--keys-only` (large object storage kept by its own replication),
  only their names and sizes;
- `manifest.json`: format, time, the migrations applied, the row count of every model, and the
  size and SHA-256 of the dump and of each file.

Restoring checks every checksum first, then refuses a database that holds any row or a storage
that holds any of the files; it migrates the empty database to the backup's schema, loads the
rows and copies the files in one transaction (a failure leaves nothing behind), compares the
row counts with the manifest, then migrates to the current schema.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction

FORMAT = "chiso-backup/1"
DUMP = "database.jsonl.gz"
FILES = "files"
MANIFEST = "manifest.json"
# rebuilt by `migrate` (content types, permissions), or transient (sessions, queued tasks, lockouts)
EXCLUDED_APPS = {"django.contrib.contenttypes", "django.contrib.sessions", "django_tasks_db", "axes"}
# common.Generation counts writes for the page cache (chiso.common.fragments): not data, and a
# migrated database already has its row
EXCLUDED_MODELS = {"auth.Permission", "common.Generation"}
_CHUNK = 1 << 20


class BackupError(Exception):
    """A refused backup or restore; the message says why, in Vietnamese."""


@dataclass
class Summary:
    rows: int = 0
    models: int = 0
    files: int = 0
    file_bytes: int = 0
    dump_bytes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"rows={self.rows} models={self.models} files={self.files} file_bytes={self.file_bytes} "
                f"dump_bytes={self.dump_bytes} seconds={self.seconds:.1f}")


def _excluded_labels() -> set[str]:
    return {a.label for a in apps.get_app_configs() if a.name in EXCLUDED_APPS}


def data_models() -> list[type[models.Model]]:
    """The models whose rows a backup holds."""
    excluded = _excluded_labels()
    return [m for m in apps.get_models()
            if m._meta.app_label not in excluded and m._meta.label not in EXCLUDED_MODELS
            and m._meta.managed and not m._meta.proxy]


def _excluded() -> list[str]:
    return sorted(_excluded_labels()) + sorted(EXCLUDED_MODELS)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_name(name: str) -> PurePosixPath:
    """A storage name as a relative path that cannot leave the backup's files folder."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Tên tệp không hợp lệ trong cơ sở dữ liệu hoặc bản sao lưu: «{name}».")
    return path


def stored_names() -> list[str]:
    """Every file name the database refers to, from every FileField."""
    names: set[str] = set()
    for model in data_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names.update(n for n in model._base_manager.exclude(**{f.attname: ""})
                             .exclude(**{f"{f.attname}__isnull": True}).values_list(f.attname, flat=True) if n)
    return sorted(names)


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in data_models()}


def applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    out: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        out.setdefault(app, []).append(name)
    return out


# -- backup -------------------------------------------------------------------------------
def backup(target: Path, *, keys_only: bool = False, out=lambda line: None) -> Summary:
    started = time.monotonic()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục {target} đã có dữ liệu: hãy sao lưu vào một thư mục mới hoặc trống.")
    (target / FILES).mkdir(parents=True, exist_ok=True)
    summary = Summary()
    with transaction.atomic():  # one snapshot: the rows, their counts and the file list agree
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", format="jsonl", natural_foreign=True, use_base_manager=True,
                     exclude=_excluded(), output=str(target / DUMP), verbosity=0)
        counts = row_counts()
        names = stored_names()
        migrations = applied_migrations()
    files = []
    for name in names:
        entry = _backup_file(name, target, keys_only)
        if entry.get("missing"):
            summary.warnings.append(f"Tệp «{name}» có trong cơ sở dữ liệu nhưng không có trong kho tệp.")
        else:
            summary.files += 1
            summary.file_bytes += entry["size"]
        files.append(entry)
    summary.rows, summary.models = sum(counts.values()), len(counts)
    summary.dump_bytes = (target / DUMP).stat().st_size
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": {"database": connection.vendor, "storage": f"{type(default_storage).__module__}."
                                                             f"{type(default_storage).__qualname__}"},
        "database": {"file": DUMP, "size": summary.dump_bytes, "sha256": _sha256(target / DUMP)},
        "migrations": migrations,
        "counts": counts,
        "files_copied": not keys_only,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    summary.seconds = time.monotonic() - started
    for warning in summary.warnings:
        out(f"Cảnh báo: {warning}")
    return summary


def _backup_file(name: str, target: Path, keys_only: bool) -> dict:
    rel = _safe_name(name)
    if not default_storage.exists(name):
        return {"name": name, "missing": True}
    if keys_only:
        return {"name": name, "size": default_storage.size(name)}
    dest = target / FILES / Path(*rel.parts)
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as src, dest.open("wb") as fh:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            fh.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


# -- restore ------------------------------------------------------------------------------
def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BackupError(f"Không đọc được {path}: {e}. Đây có phải thư mục do `chiso backup` tạo ra?") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: định dạng «{manifest.get('format')}» không phải {FORMAT}.")
    return manifest


def verify(source: Path, manifest: dict) -> list[str]:
    """Every checksum of the backup; returns the problems found (empty: the backup is whole)."""
    source = Path(source)
    problems = []
    db = manifest["database"]
    dump = source / db["file"]
    if not dump.exists():
        problems.append(f"Thiếu tệp cơ sở dữ liệu {dump}.")
    elif _sha256(dump) != db["sha256"]:
        problems.append(f"{dump}: mã kiểm tra SHA-256 không khớp (tệp bị sửa hoặc hỏng).")
    if manifest.get("files_copied"):
        for entry in manifest["files"]:
            if entry.get("missing"):
                continue
            path = source / FILES / Path(*_safe_name(entry["name"]).parts)
            if not path.exists():
                problems.append(f"Thiếu tệp {path}.")
            elif path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
                problems.append(f"{path}: mã kiểm tra SHA-256 không khớp (tệp bị sửa hoặc hỏng).")
    return problems


def _rows_present() -> dict[str, int]:
    """Rows already in the target database (only tables that exist)."""
    tables = set(connection.introspection.table_names())
    return {m._meta.label: n for m in data_models() if m._meta.db_table in tables
            for n in [m._base_manager.count()] if n}


def _storage_files() -> list[str]:
    """A few of the files already in the storage, when it is a local folder."""
    root = getattr(default_storage, "location", None)
    found = []
    if root and os.path.isdir(root):
        for folder, _dirs, names in os.walk(root):
            found += [os.path.relpath(os.path.join(folder, n), root) for n in names]
            if len(found) > 5:
                break
    return found


def _migration_targets(manifest: dict) -> list[tuple[str, str]]:
    """For each app of the backup, its last applied migration; refuses migrations this code lacks."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    unknown = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
               if (app, name) not in loader.disk_migrations and app in loader.migrated_apps]
    if unknown:
        raise BackupError("Bản sao lưu được tạo bởi phiên bản chiso mới hơn (có migration "
                          f"{', '.join(unknown[:5])}): hãy cập nhật chiso trước khi khôi phục.")
    targets = []
    for app, names in manifest["migrations"].items():
        if app not in loader.migrated_apps:
            continue
        applied = {(app, n) for n in names}
        leaves = [node for node in applied
                  if not any(child in applied for child in loader.graph.node_map[node].children)]
        targets += sorted(leaves)
    return targets


def restore(source: Path, *, out=lambda line: None) -> Summary:
    started = time.monotonic()
    source = Path(source)
    manifest = read_manifest(source)
    problems = verify(source, manifest)
    if problems:
        raise BackupError("Bản sao lưu không nguyên vẹn, chưa khôi phục gì:\n" + "\n".join(problems[:20]))
    present = _rows_present()
    if present:
        listed = ", ".join(f"{label}: {n} dòng" for label, n in list(present.items())[:6])
        raise BackupError(f"Cơ sở dữ liệu đích không trống ({listed}…): chỉ khôi phục vào một cơ sở dữ liệu "
                          "trống. Hãy tạo cơ sở dữ liệu mới (CHISO_DATABASE_URL) rồi chạy lại.")
    files = [e for e in manifest["files"] if not e.get("missing")]
    if manifest.get("files_copied"):
        taken = _storage_files() or [e["name"] for e in files if default_storage.exists(e["name"])]
        if taken:
            raise BackupError(f"Kho tệp đích không trống (có {', '.join(taken[:3])}…): chỉ khôi phục vào kho tệp "
                              "trống (CHISO_VAR_DIR hoặc CHISO_S3_BUCKET mới).")
    else:
        absent = [e["name"] for e in files if not default_storage.exists(e["name"])]
        if absent:
            raise BackupError(f"Bản sao lưu chỉ ghi tên tệp, nhưng kho tệp đích thiếu {len(absent)} tệp "
                              f"(ví dụ {absent[0]}): hãy khôi phục kho tệp trước.")
    _migrate(_migration_targets(manifest))
    copied: list[str] = []
    try:
        with transaction.atomic():
            call_command("loaddata", str(source / manifest["database"]["file"]), verbosity=0)
            if manifest.get("files_copied"):
                for entry in files:
                    copied.append(_restore_file(source, entry))
            counts = row_counts()
            wrong = [f"{label}: {counts.get(label, 0)} dòng, bản sao lưu có {n}"
                     for label, n in manifest["counts"].items() if counts.get(label, 0) != n]
            if wrong:
                raise BackupError("Số dòng sau khi nạp không khớp bản sao lưu, đã huỷ khôi phục:\n"
                                  + "\n".join(wrong[:20]))
    except BaseException:
        for name in copied:
            default_storage.delete(name)
        raise
    call_command("migrate", verbosity=0)  # to this version's schema
    summary = Summary(rows=sum(manifest["counts"].values()), models=len(manifest["counts"]), files=len(files),
                      file_bytes=sum(e.get("size", 0) for e in files), dump_bytes=manifest["database"]["size"])
    summary.seconds = time.monotonic() - started
    return summary


def _migrate(targets: list[tuple[str, str]]) -> None:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(targets)
    if plan:
        executor.migrate(targets, plan=plan)
    # content types and permissions, which the dump refers to by natural key
    from django.core.management.sql import emit_post_migrate_signal

    emit_post_migrate_signal(0, False, connection.alias)


def _restore_file(source: Path, entry: dict) -> str:
    name = entry["name"]
    with (source / FILES / Path(*_safe_name(name).parts)).open("rb") as fh:
        saved = default_storage.save(name, File(fh, name=name))
    if saved != name:
        default_storage.delete(saved)
        raise BackupError(f"Kho tệp đổi tên «{name}» thành «{saved}»: kho tệp đích không trống.")
    return saved

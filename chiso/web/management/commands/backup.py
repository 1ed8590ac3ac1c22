"""`chiso backup DIR`: the database as a portable dump and every stored file, with a manifest of
checksums (see chiso.web.backup)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from chiso.web.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu (bản kết xuất dùng được cho SQLite và PostgreSQL) và mọi tệp đã lưu "
            "(tài liệu kiểm chứng, tài liệu tải lên) vào thư mục DIR, kèm bảng mã kiểm tra SHA-256.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="thư mục mới hoặc trống")
        parser.add_argument("--keys-only", action="store_true",
                            help="chỉ ghi tên và kích thước tệp (kho tệp S3 tự sao lưu), không chép tệp")

    def handle(self, *args, directory: str, keys_only: bool, **options):
        try:
            summary = backup(directory, keys_only=keys_only, out=self.stderr.write)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"Đã sao lưu vào {directory}: {summary.rows} dòng của {summary.models} bảng, "
                          f"{summary.files} tệp ({summary.file_bytes} byte){' — chỉ tên tệp' if keys_only else ''}.")
        self.stdout.write(str(summary))

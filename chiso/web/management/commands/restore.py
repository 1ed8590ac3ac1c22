"""`chiso restore DIR`: a backup made by `chiso backup`, into an empty database and storage
(see chiso.web.backup)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from chiso.web.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Khôi phục bản sao lưu do `chiso backup` tạo vào một cơ sở dữ liệu và kho tệp trống; "
            "kiểm tra mã SHA-256 và số dòng, từ chối nếu nơi khôi phục đã có dữ liệu.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory: str, **options):
        try:
            summary = restore(directory, out=self.stderr.write)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(f"Đã khôi phục từ {directory}: {summary.rows} dòng của {summary.models} bảng, "
                          f"{summary.files} tệp ({summary.file_bytes} byte); số dòng và mã kiểm tra khớp.")
        self.stdout.write(str(summary))

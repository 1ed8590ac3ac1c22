import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chiso.progress.models import ReminderKind
from chiso.progress.reminders import DEFAULT_DAYS, send_reminders


class Command(BaseCommand):
    help = ("Gửi thư nhắc việc (nhiệm vụ, báo cáo sắp đến hạn hoặc quá hạn) và thư tổng hợp hằng tuần. "
            "Chạy lại nhiều lần không gửi trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS,
                            help=f"Nhắc trước bao nhiêu ngày (mặc định {DEFAULT_DAYS}).")
        parser.add_argument("--today", help="Coi hôm nay là ngày này (YYYY-MM-DD hoặc dd/mm/yyyy), để thử.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không gửi.")

    def handle(self, *args, days, today, dry_run, **options):
        day = timezone.localdate()
        if today:
            for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    day = dt.datetime.strptime(today, fmt).date()
                    break
                except ValueError:
                    continue
            else:
                raise CommandError(f"Ngày “{today}” không hợp lệ: ghi YYYY-MM-DD hoặc dd/mm/yyyy.")
        result = send_reminders(today=day, days=days, dry_run=dry_run)
        for line in result.periods:
            self.stdout.write(f"Kỳ báo cáo {line}")
        verb = "Sẽ gửi" if dry_run else "Đã gửi"
        labels = {**result.labels, **dict(ReminderKind.choices)}
        kinds = ", ".join(f"{labels.get(k, k).lower()}: {n}" for k, n in sorted(result.by_kind.items()))
        self.stdout.write(f"{verb} {result.reminders} lời nhắc trong {result.emails} thư"
                          f"{' (' + kinds + ')' if kinds else ''}.")
        if not dry_run:
            self.stdout.write(f"Đã tạo {result.notices} thông báo trong chiso.")

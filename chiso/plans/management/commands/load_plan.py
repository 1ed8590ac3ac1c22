import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chiso.common.errors import ServiceError
from chiso.plans.services import plan_load
from chiso.units.models import Unit


class Command(BaseCommand):
    help = "Nạp một tài liệu chiso.plan-table/1 (JSON) thành kế hoạch. Một giao dịch: lỗi thì không lưu gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp JSON chiso.plan-table/1")
        parser.add_argument("--dry-run", action="store_true", help="đọc và kiểm tra, không lưu")
        parser.add_argument("--issuer", help="mã công khai (public id) của đơn vị ban hành, nếu tài liệu không ghi")
        parser.add_argument("--quiet", action="store_true", help="chỉ in dòng tổng kết")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{path}: không có tệp này") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path}: không phải văn bản UTF-8") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}, dòng {exc.lineno}, cột {exc.colno}: JSON không hợp lệ ({exc.msg})") from None
        issuer = None
        if options["issuer"]:
            issuer = Unit.objects.filter(public_id=options["issuer"]).first()
            if issuer is None:
                raise CommandError(f"Không có đơn vị mã {options['issuer']}")
        try:
            report = plan_load(actor=None, document=document, issuer=issuer, dry_run=options["dry_run"])
        except ServiceError as exc:
            raise CommandError("\n".join([f"{path}: {exc.message}", *[f"  - {d}" for d in exc.details]])) from None
        if not options["quiet"]:
            self.print_details(report)
        self.stdout.write(report.summary())

    def print_details(self, report):
        if report.existing:
            self.stdout.write(f"Kế hoạch này đã được nạp trước đây ({report.plan.public_id}); không thay đổi gì.")
            return
        if report.dry_run:
            self.stdout.write("Chạy thử (--dry-run): không lưu gì.")
        if report.reference_units:
            self.stdout.write(f"Nạp {report.reference_units} cơ quan, đơn vị chuẩn của {report.plan.issuer.name} "
                              f"(sở, ban, ngành theo danh mục có sẵn).")
        for title, lines in [("Không khớp tên với bộ chỉ số", report.mismatches),
                             ("Cảnh báo", report.warnings),
                             ("Đơn vị mới, chưa xác minh", report.units_created)]:
            if lines:
                self.stdout.write(f"{title} ({len(lines)}):")
                for line in lines:
                    self.stdout.write(f"  - {line}")

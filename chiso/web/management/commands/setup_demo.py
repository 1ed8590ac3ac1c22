from django.core.management.base import BaseCommand
from django.db import transaction

from chiso.demo import run_demo_steps


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: bộ chỉ số, đơn vị, ba kế hoạch thật, tài khoản dùng thử. Chạy lại không tạo trùng."

    def handle(self, *args, **options):
        with transaction.atomic():
            run_demo_steps(self.stdout.write)

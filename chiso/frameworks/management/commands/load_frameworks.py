from django.core.management.base import BaseCommand, CommandError

from chiso.common.errors import ServiceError
from chiso.frameworks.services import bundled_frameworks_load


class Command(BaseCommand):
    help = "Nạp các bộ chỉ số đi kèm (PAR INDEX QĐ 876, SIPAS, PAPI); chạy lại không tạo trùng."

    def handle(self, *args, **options):
        try:
            results = bundled_frameworks_load(actor=None)
        except ServiceError as exc:
            raise CommandError("\n".join([exc.message, *exc.details])) from None
        for r in results:
            state = "đã nạp" if r.created else "đã có"
            self.stdout.write(f"{r.version.framework.name} — {r.version.label}: {r.criteria} tiêu chí ({state})")

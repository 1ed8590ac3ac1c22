from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "chiso.ingest"
    label = "ingest"
    verbose_name = "Đọc tài liệu"

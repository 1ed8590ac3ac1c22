from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "chiso.appraisal"
    label = "appraisal"
    verbose_name = "Chỉ số CCHC nội bộ của tỉnh"

    def ready(self):
        from . import services  # noqa: F401 (connects the survey points receiver)

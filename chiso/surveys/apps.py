from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "chiso.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self):
        from . import reminders  # noqa: F401  (connects the invitation reminders to send-reminders)

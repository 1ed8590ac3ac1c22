from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "chiso.progress"
    label = "progress"
    verbose_name = "Theo dõi thực hiện"

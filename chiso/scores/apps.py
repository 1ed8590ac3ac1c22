from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "chiso.scores"
    label = "scores"
    verbose_name = "Kết quả chấm điểm"

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "chiso.analysis"
    label = "analysis"
    verbose_name = "Phân tích kết quả"

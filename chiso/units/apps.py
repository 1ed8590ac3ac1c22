from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "chiso.units"
    label = "units"
    verbose_name = "Đơn vị"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "chiso.common"
    label = "common"

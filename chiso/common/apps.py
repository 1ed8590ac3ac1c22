from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "chiso.common"
    label = "common"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .fragments import install_on_open_connections, watch_writes

        connection_created.connect(watch_writes, dispatch_uid="chiso.common.fragments")
        install_on_open_connections()

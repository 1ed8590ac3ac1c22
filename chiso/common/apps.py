from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "chiso.common"
    label = "common"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created

        from .fragments import install_on_open_connections, settle_writes, watch_writes

        connection_created.connect(watch_writes, dispatch_uid="chiso.common.fragments")
        request_finished.connect(settle_writes, dispatch_uid="chiso.common.fragments.settle")
        install_on_open_connections()

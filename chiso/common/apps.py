from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "chiso.common"
    label = "common"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created

        from .fragments import end_request, install_on_open_connections, settle_writes, start_request, watch_writes

        connection_created.connect(watch_writes, dispatch_uid="chiso.common.fragments")
        request_started.connect(start_request, dispatch_uid="chiso.common.fragments.start")
        request_finished.connect(settle_writes, dispatch_uid="chiso.common.fragments.settle")
        request_finished.connect(end_request, dispatch_uid="chiso.common.fragments.end")
        install_on_open_connections()

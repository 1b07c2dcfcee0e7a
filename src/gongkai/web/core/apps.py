from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.web.core"
    label = "core"
    verbose_name = "平台"

    def ready(self) -> None:
        from gongkai.web.core.audit import make_history_atomic, quiet_last_login

        make_history_atomic()
        quiet_last_login()

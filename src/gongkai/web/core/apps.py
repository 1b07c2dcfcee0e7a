from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "gongkai.web.core"
    label = "core"
    verbose_name = "平台"

    def ready(self) -> None:
        from gongkai.web.core.audit import make_history_atomic, quiet_last_login

        make_history_atomic()
        quiet_last_login()
        _name_login_protection()


def _name_login_protection() -> None:
    """django-axes ships no Chinese: name its admin pages (where an administrator unlocks) in Chinese."""
    if not apps.is_installed("axes"):
        return
    apps.get_app_config("axes").verbose_name = "登录保护"
    names = {"AccessAttempt": "登录失败记录", "AccessLog": "登录记录", "AccessFailureLog": "登录失败日志"}
    for model in apps.get_app_config("axes").get_models():
        if model.__name__ in names:
            model._meta.verbose_name = model._meta.verbose_name_plural = names[model.__name__]

from django.apps import AppConfig


class WordingConfig(AppConfig):
    name = "gongkai.web.wording"
    label = "wording"
    verbose_name = "表述检查词典"

    def ready(self) -> None:
        from gongkai.web.wording.loader import allowances, leaders_source, source
        from gongkai.wording import register_allow_source, register_leaders_source, register_source

        register_source(source)
        register_leaders_source(leaders_source)
        register_allow_source(allowances)

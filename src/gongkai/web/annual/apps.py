from django.apps import AppConfig


class AnnualConfig(AppConfig):
    name = "gongkai.web.annual"
    label = "annual"
    verbose_name = "政府信息公开年报"

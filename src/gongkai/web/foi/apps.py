from django.apps import AppConfig


class FoiConfig(AppConfig):
    name = "gongkai.web.foi"
    label = "foi"
    verbose_name = "依申请公开"

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "gongkai.web.plans"
    label = "plans"
    verbose_name = "工作要点"

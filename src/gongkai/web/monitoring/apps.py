from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "gongkai.web.monitoring"
    label = "monitoring"
    verbose_name = "可用性监测"

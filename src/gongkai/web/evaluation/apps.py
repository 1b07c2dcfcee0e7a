from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gongkai.web.evaluation"
    label = "evaluation"
    verbose_name = "网站测评"

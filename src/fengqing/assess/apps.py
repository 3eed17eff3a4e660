from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "fengqing.assess"
    label = "assess"
    verbose_name = "研判评估"

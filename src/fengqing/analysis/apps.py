from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "fengqing.analysis"
    label = "analysis"
    verbose_name = "报告审读"

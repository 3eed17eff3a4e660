from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "fengqing.report"
    label = "report"
    verbose_name = "研判报告"

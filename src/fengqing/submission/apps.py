from django.apps import AppConfig


class SubmissionConfig(AppConfig):
    name = "fengqing.submission"
    label = "submission"
    verbose_name = "报告报送"

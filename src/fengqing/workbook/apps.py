from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    name = "fengqing.workbook"
    label = "workbook"
    verbose_name = "交换格式"

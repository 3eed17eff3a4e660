from django.apps import AppConfig


class RectifyConfig(AppConfig):
    name = "fengqing.rectify"
    label = "rectify"
    verbose_name = "问题整改"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fengqing.web"
    label = "web"
    verbose_name = "网页"

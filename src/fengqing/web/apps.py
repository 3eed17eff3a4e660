from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebConfig(AppConfig):
    name = "fengqing.web"
    label = "web"
    verbose_name = "网页"

    def ready(self) -> None:
        from .datastamp import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="fengqing-datastamp")

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fengqing.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from . import backends  # noqa: F401  (connects the log-in signal receivers)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fengqing.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from . import backends  # noqa: F401  (connects the log-in signal receivers)

        # a log-in writes nothing to the main database; last_login is set when its audit entry is chained
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

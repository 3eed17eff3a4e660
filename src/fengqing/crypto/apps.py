from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "fengqing.crypto"
    verbose_name = "加密"

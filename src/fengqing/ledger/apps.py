from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "fengqing.ledger"
    label = "ledger"
    verbose_name = "台账"

from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "fengqing.dossier"
    label = "dossier"
    verbose_name = "廉政档案与党风廉政意见"

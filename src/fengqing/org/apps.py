from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fengqing.org"
    label = "org"
    verbose_name = "机构人员"

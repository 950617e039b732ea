from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "maille.funding"
    verbose_name = "Dispositifs de financement"

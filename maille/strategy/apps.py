from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "maille.strategy"
    verbose_name = "Pilotage de la stratégie"

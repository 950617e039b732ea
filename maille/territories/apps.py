from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "maille.territories"
    verbose_name = "Territoires"

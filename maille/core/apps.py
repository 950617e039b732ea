from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "maille.core"
    verbose_name = "Socle"

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "maille.directory"
    verbose_name = "Annuaire de l'accompagnement"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maille.api"
    verbose_name = "API"

from django.apps import AppConfig


class OrientationConfig(AppConfig):
    name = "maille.orientation"
    verbose_name = "Orientation"

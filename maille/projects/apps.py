from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "maille.projects"
    verbose_name = "Projets"

from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "maille.projects"
    verbose_name = "Projets"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    demo_loaders = ("maille.projects.demo.load",)
    loaders_after = (
        "accounts",
        "directory",
        "funding",
        "strategy",
    )

from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "maille.observatory"
    verbose_name = "Observatoire de l'ESS"

    # Loaders run by load_demo (maille.core.loaders): a generated register, imported as two demo snapshots.
    demo_loaders = ("maille.observatory.demo.load",)
    loaders_after = ("territories", "directory", "projects", "strategy")

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "maille.directory"
    verbose_name = "Annuaire de l'accompagnement"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    reference_loaders = ("maille.directory.services.load_directory",)
    demo_loaders = ("maille.directory.demo.load",)
    loaders_after = ("territories",)
    reference_data = "data/directory"

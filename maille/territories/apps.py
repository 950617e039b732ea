from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "maille.territories"
    verbose_name = "Territoires"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    reference_loaders = ("maille.territories.services.load_reference_data",)
    reference_errors = ("maille.territories.services.ReferenceDataError",)
    reference_data = "data/territories"

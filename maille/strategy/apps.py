from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "maille.strategy"
    verbose_name = "Pilotage de la stratégie"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    reference_loaders = ("maille.strategy.services.load_strategy",)
    demo_loaders = ("maille.strategy.demo.load",)
    loaders_after = (
        "directory",
        "funding",
    )
    reference_data = "data/strategy"

from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "maille.showcase"
    verbose_name = "Vitrine et vie collective"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    reference_loaders = ("maille.showcase.demo.load_tiers_lieux",)
    reference_data = "data/showcase"
    demo_loaders = ("maille.showcase.demo.load",)
    loaders_after = ("accounts", "directory", "strategy", "projects")

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "maille.funding"
    verbose_name = "Dispositifs de financement"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    reference_loaders = ("maille.funding.services.load_funding",)
    demo_loaders = ("maille.funding.demo.load",)
    loaders_after = ("directory",)
    reference_data = "data/directory/funding.json"

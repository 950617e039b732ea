from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "maille.referrals"
    verbose_name = "Mises en relation"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    demo_loaders = ("maille.referrals.demo.load",)
    loaders_after = (
        "accounts",
        "directory",
        "projects",
    )

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maille.accounts"
    verbose_name = "Comptes et organisations"

    # Loaders run by load_reference / load_demo (maille.core.loaders).
    demo_loaders = ("maille.accounts.demo.load",)
    loaders_after = ("territories",)

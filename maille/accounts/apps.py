from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maille.accounts"
    verbose_name = "Comptes et organisations"

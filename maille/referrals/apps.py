from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "maille.referrals"
    verbose_name = "Mises en relation"

from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "ficarchive.social"
    label = "social"

from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "ficarchive.formats"
    label = "formats"

from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "ficarchive.collections"
    label = "collections"
    verbose_name = "Collections"

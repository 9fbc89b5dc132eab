from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ficarchive.demo"
    label = "demo"

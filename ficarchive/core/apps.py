from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ficarchive.core"
    label = "core"

    def ready(self) -> None:
        from ficarchive.core import checks  # noqa: F401  (registers the system checks)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "navigator.core"
    label = "core"
    verbose_name = "Navigator core"

    def ready(self) -> None:
        from . import schema, signals  # noqa: F401  (login auditing; API auth in the OpenAPI schema)

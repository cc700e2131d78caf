from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "navigator.core"
    label = "core"
    verbose_name = "Navigator core"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects login/logout auditing)

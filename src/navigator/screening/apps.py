from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "navigator.screening"
    label = "screening"
    verbose_name = "Screening police records"

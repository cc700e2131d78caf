from django.apps import AppConfig


class EstimationConfig(AppConfig):
    name = "navigator.estimation"
    label = "estimation"
    verbose_name = "Estimating the hidden number of victims"

from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "navigator.victims"
    label = "victims"
    verbose_name = "Victims"

from django.apps import AppConfig


class SamplingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sampling"

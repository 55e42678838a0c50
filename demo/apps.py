from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The end-to-end demo: the top floor, which may import every other app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"

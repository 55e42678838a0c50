from django.apps import AppConfig


class SurveyConfig(AppConfig):
    """Fieldwork: waves, the case queue, calls, interviews and supervision."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "survey"

    def ready(self) -> None:
        from survey.signals import connect_receivers

        connect_receivers()

"""End-to-end demonstration of every capability, on the configured database (SQLite by default)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from survey.demo_users import ensure_demo_users


class Command(BaseCommand):
    help = (
        "Migrate, create a demo agency with one user per role, and run every capability "
        "end to end, writing outputs into a folder whose path is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", default=str(Path(settings.BASE_DIR) / "demo_output"),
            help="Folder for the demo's outputs (default: ./demo_output).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, **options):
        out = Path(options["out"]).resolve()
        out.mkdir(parents=True, exist_ok=True)
        self.step("Migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.say(f"database: {settings.DATABASES['default']['NAME']}")

        self.step("Agency and users (one per role)")
        for login in ensure_demo_users():
            self.say(f"{login.role.value:<12} login {login.username:<18} password "
                     f"{login.password:<26} ({login.agency})")

        self.step("Done")
        self.say(f"outputs written to: {out}")
        self.say("start the web app with:  .venv/bin/python manage.py runserver")

    def step(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {title}"))

    def say(self, text: str) -> None:
        self.stdout.write(f"   {text}")

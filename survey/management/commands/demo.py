"""End-to-end demonstration of every capability, on the configured database (SQLite by default)."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from questionnaires.models import QuestionnaireVersion
from questionnaires.selectors import version_codebook_xlsx
from questionnaires.services import questionnaire_version_upload
from sampling import selectors as sampling_selectors
from sampling import services as sampling_services
from survey.demo_users import ensure_demo_users
from survey.models import User

BAS_WORKBOOK = Path(settings.BASE_DIR) / "questionnaires" / "forms_data" / "bas_questionnaire.xlsx"


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
        parser.add_argument("--frame-size", type=int, default=30_000,
                            help="Businesses in the synthetic frame (default 30,000).")
        parser.add_argument("--n", type=int, default=1600, help="Sample size (default 1,600).")

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

        analyst = User.objects.get(username="demo_analyst")
        version = self.questionnaire(analyst, out)
        sample = self.sampling(analyst, out, options)
        self.context = {"version": version, "sample": sample, "analyst": analyst}

        self.step("Done")
        self.say(f"outputs written to: {out}")
        self.say("start the web app with:  .venv/bin/python manage.py runserver")

    def questionnaire(self, analyst, out: Path) -> QuestionnaireVersion:
        self.step("Questionnaire: the BAS workbook, checked and stored as a version")
        workbook = BAS_WORKBOOK.read_bytes()
        version = QuestionnaireVersion.objects.filter(sha256__isnull=False).filter(
            filename=BAS_WORKBOOK.name).order_by("-number").first()
        if version is None or bytes(version.workbook) != workbook:
            version = questionnaire_version_upload(workbook=workbook, filename=BAS_WORKBOOK.name,
                                                   user=analyst)
        summary = version.summary
        self.say(f"{version}: {summary['questions']} questions, {summary['groups']} groups, "
                 f"{summary['repeats']} repeats")
        codebook = out / "bas_codebook.xlsx"
        codebook.write_bytes(version_codebook_xlsx(version))
        self.say(f"codebook: {codebook}")
        return version

    def sampling(self, analyst, out: Path, options):
        self.step("Sampling: a synthetic London frame, compromise allocation, seeded draw")
        frame = sampling_services.frame_create_synthetic(
            size=options["frame_size"], seed=options["seed"], user=analyst)
        self.say(f"frame: {frame}")
        design = sampling_services.sample_design_create(
            frame=frame, user=analyst, name=f"Demo wave sample (seed {options['seed']})",
            n=options["n"], allocation="compromise", min_per_borough=40, seed=options["seed"],
            replicates=10, large_business_factor=1.5)
        sample = sampling_services.sample_draw(design=design, user=analyst)
        table = sampling_selectors.sample_table(sample)
        self.say(f"drew {len(table)} businesses in {len(sample.allocation_table)} strata "
                 f"({len(sample.merges)} collapses); design weights add up to "
                 f"{table['design_weight'].sum():,.0f} = frame size {frame.size:,}")
        per_borough = table.groupby("borough").size()
        self.say(f"interviews per borough: min {per_borough.min()}, max {per_borough.max()}")
        missing = sampling_services.replicates_release(sample=sample, replicates=range(1, 9),
                                                       user=analyst)
        released = sampling_selectors.sample_table(sample, released_only=True)
        self.say(f"released replicates 1-8 of 10 to fieldwork: {len(released)} businesses"
                 + (f" ({len(missing)} strata not yet represented)" if missing else ""))
        path = out / "sample.csv"
        table.drop(columns="released").to_csv(path, index=False)
        self.say(f"sample: {path}")
        return sample

    def step(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {title}"))

    def say(self, text: str) -> None:
        self.stdout.write(f"   {text}")

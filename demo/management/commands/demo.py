"""End-to-end demonstration of every capability, on the configured database (SQLite by default)."""

from collections import Counter
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import user_create
from analysis import services as analysis_services
from analysis.small_area_runs import small_area_estimates
from analysis.weighting_runs import weighting_accept
from demo.back_checks import back_check_wave
from demo.fieldwork import LONDON, quality_lines, simulate_wave
from demo.review import review_wave
from demo.users import ensure_demo_users
from exports.services import wave_publish
from questionnaires.models import QuestionnaireVersion
from questionnaires.selectors import version_codebook_xlsx
from questionnaires.services import questionnaire_version_upload
from sampling import selectors as sampling_selectors
from sampling import services as sampling_services
from survey.aapor import group_counts, outcome_rates
from survey.models import Case
from survey.services import waves as wave_services

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
        parser.add_argument("--target", type=int, default=400,
                            help="Completed interviews to simulate (default 400).")
        parser.add_argument("--days", type=int, default=4,
                            help="Working days of simulated fieldwork (default 4).")
        parser.add_argument("--interviewers", type=int, default=10,
                            help="Simulated interviewers (default 10).")

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
        wave = self.fieldwork(version, sample, options)
        self.analysis(wave, analyst, out)
        self.publication(wave, analyst, out)

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
        self.say(f"businesses sampled per borough: min {per_borough.min()}, "
                 f"max {per_borough.max()}")
        missing = sampling_services.replicates_release(sample=sample, replicates=range(1, 9),
                                                       user=analyst)
        released = sampling_selectors.sample_table(sample, released_only=True)
        self.say(f"released replicates 1-8 of 10 to fieldwork: {len(released)} businesses"
                 + (f" ({len(missing)} strata not yet represented)" if missing else ""))
        path = out / "sample.csv"
        table.drop(columns="released").to_csv(path, index=False)
        self.say(f"sample: {path}")
        return sample

    def fieldwork(self, version, sample, options):
        self.step("Fieldwork: a wave worked by simulated interviewers through the CATI services")
        agency = Agency.objects.get(code="northbank-demo")
        name = f"Demo wave {sample.pk}"
        wave = wave_services.wave_create(name=name, questionnaire_version=version, sample=sample,
                                         agency=agency, target_interviews=options["target"],
                                         review_levels="agency_mopac")
        wave_services.wave_cases_sync(wave=wave)
        cases = Case.objects.filter(wave=wave).count()
        wave = wave_services.wave_open_field(wave=wave)
        self.say(f"{wave}: {cases} cases from the released replicates")
        team = [User.objects.get(username="demo_interviewer")]
        for number in range(2, options["interviewers"] + 1):
            username = f"demo_interviewer{number}"
            user = User.objects.filter(username=username).first() or user_create(
                username=username, agency=agency, roles=[Role.INTERVIEWER])
            team.append(user)
        start = datetime(2026, 10, 5, 9, 0, tzinfo=LONDON)  # a Monday
        self.say(f"simulating {options['days']} working days of calls (about a minute a day)")
        log = simulate_wave(wave, team, np.random.default_rng(options["seed"]), start=start,
                            days=options["days"], target=options["target"], progress=self.say,
                            fast=(team[-1],) if len(team) >= 4 else ())
        for line in back_check_wave(wave, team, User.objects.get(username="demo_supervisor"),
                                    np.random.default_rng(options["seed"] + 1),
                                    fast=(team[-1],) if len(team) >= 4 else ()).lines:
            self.say(line)
        self.review(wave)
        wave = wave_services.wave_close(wave=wave)
        codes = Case.objects.filter(wave=wave).values_list("final_code", flat=True)
        rates = outcome_rates(group_counts(codes))
        self.say(f"{log.dials} dials by {len(team)} interviewers, {log.completes} interviews "
                 f"completed; outcomes: " + ", ".join(f"{k} {v}" for k, v in
                                                      sorted(log.outcomes.items())))
        self.say(f"AAPOR RR1 {rates['RR1']:.1%}, RR3 {rates['RR3']:.1%}, "
                 f"COOP1 {rates['COOP1']:.1%}, REF1 {rates['REF1']:.1%}, "
                 f"CON1 {rates['CON1']:.1%}")
        for line in quality_lines(wave):
            self.say(line)
        return wave

    def review(self, wave) -> None:
        log = review_wave(wave, supervisor=User.objects.get(username="demo_supervisor"),
                          analyst=User.objects.get(username="demo_analyst"))
        if log.rejected is not None:
            self.say(f"review: interview {log.rejected} rejected by the supervisor with a "
                     f"comment on '{log.path}', amended by its interviewer ('{log.before}' "
                     f"to '{log.after}', with the reason) and resubmitted")
        self.say(f"review: {log.approved} interviews approved by the supervisor, then MOPAC")
        if log.held:
            self.say(f"review: {log.held} interviews a back-check found discrepant held in "
                     "review by the supervisor (not counted as completes)")

    def analysis(self, wave, analyst, out: Path) -> None:
        self.step("Analysis: weighting the wave and estimating by borough and sector")
        self.say("weighting (design weights, non-response, raking, trimming)...")
        run = analysis_services.weighting_run(wave=wave, user=analyst)
        for line in run.progress:
            self.say(line)
        diag = run.diagnostics["weights"]
        self.say(f"weights: n {diag['n']}, total {diag['total']:,.0f}, deff "
                 f"{diag['deff_weighting']:.2f}, effective n {diag['effective_n']:.0f}")
        weighting_accept(run=run, user=analyst)
        self.say(f"weighting run {run.pk} accepted after its diagnostics")
        estimates = analysis_services.estimate_set_create(run=run, user=analyst)
        table = pd.DataFrame(estimates.rows)
        for row in table[table["by"] == ""].itertuples():
            self.say(f"{row.variable:<18} {row.estimate:6.1%}  95% CI {row.ci_low:6.1%} to "
                     f"{row.ci_high:6.1%}  (n {row.n})")
        path = out / "estimates.csv"
        table.to_csv(path, index=False)
        self.say(f"estimates overall, by borough and by sector group: {path}")
        self.borough_estimates(run, analyst)

    def borough_estimates(self, run, analyst) -> None:
        self.step("Small areas: borough estimates (Fay-Herriot) where direct ones fail the rule")
        small_area = small_area_estimates(run=run, user=analyst)
        for measure, fit in small_area.fits.items():
            counts = ", ".join(f"{n} {source}" for source, n in fit.get("counts", {}).items())
            failed = f" (model: {fit['error']})" if "error" in fit else ""
            self.say(f"{measure:<18} the rule chose {counts}{failed}")
        self.say(f"borough estimates {small_area.pk}: {small_area.notes[-1]}")

    def publication(self, wave, analyst, out: Path) -> None:
        self.step("Publication: workbook, open data, microdata and the public dashboard")
        self.say("writing the workbook, open data and microdata (about a minute)...")
        published = wave_publish(wave=wave, out=out / "publication", user=analyst)
        rows = published.publication.rows
        hidden = sum(1 for row in rows if row.get("suppressed"))
        threshold = published.publication.rules.get("threshold", 30)
        self.say(f"{len(rows)} published estimates, {hidden} suppressed (unweighted base "
                 f"under {threshold}, or to protect such a cell)")
        kinds = Counter(row.get("source") or "suppressed" for row in rows
                        if row["breakdown"] == "borough")
        self.say("borough figures: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
        for path in published.files:
            self.say(f"{path.name}")
        self.say(f"publication folder: {published.folder.resolve()}")
        self.say("public dashboard: http://127.0.0.1:8000/results/ (after runserver)")

    def step(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"== {title}"))

    def say(self, text: str) -> None:
        self.stdout.write(f"   {text}")

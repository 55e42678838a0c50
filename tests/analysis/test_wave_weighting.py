"""Weighting a wave from its cases and completed interviews, and estimating from the run."""

import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from accounts.roles import Role
from analysis import core
from analysis.models import CaseWeight, EstimateSet
from analysis.services import estimate_set_create, frame_population, weighting_run
from analysis.weighting_runs import weighting_accept
from questionnaires.services import questionnaire_version_upload
from sampling import services as sampling
from survey.models import Case, Interview, Wave
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SURVEY = [
    ("type", "name", "label", "constraint"),
    ("integer", "confidence_police", "Confidence (1 very .. 5 not at all)", ". >= 1 and . <= 5"),
    ("integer", "victim_online", "Online crime victim (1/0)", ". = 0 or . = 1"),
]


def tiny_version():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in SURVEY:
        sheet.append(list(row))
    book.create_sheet("choices").append(["list_name", "name", "label"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append(["Tiny BAS", "tiny_bas", "1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return questionnaire_version_upload(workbook=buffer.getvalue(), filename="tiny.xlsx")


@pytest.fixture
def wave(agency):
    frame = sampling.frame_create_synthetic(size=3000, seed=5)
    design = sampling.sample_design_create(frame=frame, name="w", n=400, seed=3,
                                           allocation="proportional", replicates=2,
                                           strata_dimensions=["borough", "size_band"],
                                           min_stratum_size=30)
    sample = sampling.sample_draw(design=design)
    sampling.replicates_release(sample=sample, replicates=[1, 2])
    wave = Wave.objects.create(name="Wave T", questionnaire_version=tiny_version(),
                               sample=sample, agency=agency, target_interviews=200,
                               status=Wave.Status.CLOSED)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    rng = np.random.default_rng(1)
    for business in sample.businesses.all():
        case = Case.objects.create(wave=wave, sampled_business=business,
                                   stratum=business.stratum, status=Case.Status.FINAL)
        draw = rng.random()
        if draw < 0.6:
            case.final_code = "1.1"
            Interview.objects.create(
                case=case, version=wave.questionnaire_version, interviewer=interviewer,
                status=Interview.Status.COMPLETE,
                answers={"confidence_police": int(rng.integers(1, 6)),
                         "victim_online": int(rng.random() < 0.3)})
        elif draw < 0.8:
            case.final_code = "2.11"
        elif draw < 0.9:
            case.last_code, case.status = "3.13", Case.Status.CALLBACK
        else:
            case.final_code = "4.51"
        case.save()
    return wave


def test_weighting_run_stores_a_weight_for_every_released_case(wave):
    run = weighting_run(wave=wave)
    assert run.status == run.Status.DONE and run.progress
    released = Case.objects.filter(wave=wave).count()
    assert CaseWeight.objects.filter(run=run).count() == released
    weights = pd.DataFrame.from_records(list(run.weights.values("status", "final_weight")))
    respondents = weights[weights["status"] == "respondent"]
    assert (respondents["final_weight"] > 0).all()
    assert (weights.loc[weights["status"] != "respondent", "final_weight"] == 0).all()
    # raked to the frame: the respondents' weights add up to the frame's businesses
    assert respondents["final_weight"].sum() == pytest.approx(3000, rel=1e-6)
    diagnostics = run.diagnostics
    assert diagnostics["respondents"] == len(respondents)
    assert diagnostics["weights"]["deff_weighting"] >= 1


def test_raked_weights_meet_every_frame_margin(wave):
    run = weighting_run(wave=wave)
    population = frame_population(wave)
    from analysis.services import weighted_respondents

    data = weighted_respondents(run)
    for variable in ("borough", "size_band"):
        totals = data.groupby(data[variable].astype(str))["final_weight"].sum()
        for category, total in totals.items():
            # trimming redistributes weight, so margins hold to a small tolerance
            assert total == pytest.approx(population[variable][category], rel=0.05)


def test_estimates_by_domain_with_intervals(wave):
    run = accepted(weighting_run(wave=wave))
    estimates = estimate_set_create(run=run)
    assert isinstance(estimates, EstimateSet)
    rows = pd.DataFrame(estimates.rows)
    assert set(rows["variable"]) == {"confident_police", "victim_online"}
    overall = rows[(rows["by"] == "") & (rows["variable"] == "victim_online")].iloc[0]
    from analysis.services import weighted_respondents

    data = weighted_respondents(run)
    expected = np.average(data["victim_online"], weights=data["final_weight"])
    assert overall["estimate"] == pytest.approx(expected)
    assert overall["ci_low"] < overall["estimate"] < overall["ci_high"]
    assert overall["n"] == len(data)
    boroughs = rows[rows["by"] == "borough"]
    assert boroughs["domain"].nunique() == data["borough"].nunique()


def test_a_wave_without_interviews_fails_clearly_and_stores_no_weight(wave):
    Interview.objects.filter(case__wave=wave).delete()
    Case.objects.filter(wave=wave, final_code="1.1").update(final_code="2.11")
    with pytest.raises(core.WeightingError, match="no completed interviews"):
        weighting_run(wave=wave)
    assert CaseWeight.objects.count() == 0
    assert wave.weightings.get().status == "failed"


def test_web_and_api_weight_and_estimate(client, users, wave):
    from django.urls import reverse

    client.force_login(users[Role.ANALYST])
    assert client.get(reverse("analysis-home")).status_code == 200
    response = client.post(reverse("weighting-start", args=[wave.pk]))
    run = wave.weightings.get()
    assert response.status_code == 302 and run.status == "done"
    client.post(reverse("weighting-accept", args=[run.pk]))
    response = client.post(reverse("estimates-start", args=[run.pk]), {"ci": "beta"})
    page = client.get(response["Location"]).content.decode()  # the review page
    assert "victim_online" in page and "beta" in page
    page = client.get(reverse("weighting-detail", args=[run.pk])).content.decode()
    assert "beta intervals" in page
    response = client.post(reverse("api-weighting-start", args=[wave.pk]))
    assert response.status_code == 201
    run_id = response.json()["id"]
    assert client.get(reverse("api-weighting", args=[run_id])).json()["status"] == "done"
    assert client.post(reverse("api-weighting-accept", args=[run_id])).status_code == 200
    response = client.post(reverse("api-estimates-start", args=[run_id]), {"ci": "wilson"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["spec"]["ci"] == "wilson"


@pytest.mark.parametrize("role", [Role.INTERVIEWER, Role.SUPERVISOR])
def test_fieldwork_roles_cannot_weight(client, users, role, wave):
    from django.urls import reverse

    client.force_login(users[role])
    assert client.get(reverse("analysis-home")).status_code == 403
    assert client.post(reverse("api-weighting-start", args=[wave.pk])).status_code == 403


def test_the_run_stores_the_design_and_estimation_rebuilds_it_from_there(wave):
    from analysis.services import run_design, weighted_respondents

    run = weighting_run(wave=wave)
    spec = core.DesignSpec.from_dict(run.design)
    assert spec.weights == "final_weight" and spec.strata == "stratum"
    assert spec.calibration.base_weights == "adjusted_weight"
    population = frame_population(wave)
    for margin in spec.calibration.margins:
        assert dict(zip(margin.categories, margin.totals, strict=True)) == pytest.approx(
            population[margin.variable])
    assert "rake_variables" not in run.diagnostics
    run = accepted(run)
    before = estimate_set_create(run=run).rows
    # The frame's counts change later: the run's estimates do not, they come from the run.
    frame = wave.sample.design.frame
    frame.summary = {**frame.summary, "borough": {}}
    frame.save()
    assert estimate_set_create(run=run).rows == before
    design = run_design(run, weighted_respondents(run))
    assert design.calibration is not None and design.n == run.diagnostics["respondents"]


def test_old_runs_get_their_design_from_the_diagnostics(wave):
    import importlib

    from django.apps import apps

    run = weighting_run(wave=wave)
    stored = run.design
    variables = [m["variable"] for m in stored["calibration"]["margins"]]
    type(run).objects.filter(pk=run.pk).update(
        design={}, diagnostics={**run.diagnostics, "rake_variables": variables})
    migration = importlib.import_module("analysis.migrations.0002_weightingrun_design")
    migration.fill_design(apps, None)
    run.refresh_from_db()
    # The same design: the same margins and totals (a category's place within its margin is
    # not kept by PostgreSQL's jsonb, which reorders an object's keys, and changes nothing).
    assert _canonical(run.design) == _canonical(stored)


def _canonical(design: dict) -> dict:
    margins = design["calibration"]["margins"]
    return {**design, "calibration": {
        **design["calibration"],
        "margins": [(m["variable"], sorted(zip(m["categories"], m["totals"], strict=True)))
                    for m in margins]}}


def test_interval_choices_come_from_the_registry(client, users, wave):
    from django.urls import reverse

    client.force_login(users[Role.ANALYST])
    run = accepted(weighting_run(wave=wave))
    page = client.get(reverse("weighting-detail", args=[run.pk])).content.decode()
    for name in core.PROPORTION_CI_METHODS:
        assert f'<option value="{name}">' in page
    response = client.post(reverse("api-estimates-start", args=[run.pk]), {"ci": "normal"},
                           content_type="application/json")
    assert response.status_code == 400


def accepted(run):
    return weighting_accept(run=run)

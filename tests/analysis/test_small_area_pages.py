"""The analyst's borough-estimate pages: the form choosing the model (every bad choice named
beside its field), the run list marking the run publication uses, the diagnostics page (fit,
three SVG plots, borough table), access by role and the audit log."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from analysis.models import SmallAreaEstimate, SmallAreaRun
from analysis.small_area_runs import borough_table_upload
from sampling.data.boroughs import BOROUGHS
from survey.models import Wave
from tests.analysis.test_small_area_service import accepted_run

pytestmark = pytest.mark.django_db

MEASURES = ["victim_online", "confident_police"]


@pytest.fixture
def run(agency):
    from sampling import services as sampling

    return accepted_run(agency, sampling.frame_create_synthetic(size=4000, seed=11), seed=4)


@pytest.fixture
def analyst(client, users):
    client.force_login(users[Role.ANALYST])
    return client


def choices(**changes) -> dict:
    data = {"measures": MEASURES, "method": "reml",
            "auxiliaries": ["log_businesses", "share_size_0_9"], "smooth": "1",
            "benchmark": "1", "direct_measure": "cv", "direct_threshold": "20",
            "model_threshold": "25", "pool": "1", "overlap": "independent"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_offers_the_choices_with_their_defaults(analyst, run):
    page = analyst.get(reverse("small-area-new", args=[run.wave_id])).content.decode()
    assert f"weighting run {run.pk}" in page
    for name in ("reml", "ml", "fh"):
        assert f'name="method" value="{name}"' in page
    assert 'name="method" value="reml" checked' in page
    assert 'value="share_size_0_9" checked' in page and 'value="share_size_10_49"' in page
    assert 'name="smooth" value="1" checked' in page
    assert 'name="direct_threshold" value="20"' in page
    assert 'name="model_threshold" value="25"' in page
    assert "No borough table has been uploaded" in page


def test_running_the_model_shows_its_diagnostics(analyst, run):
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]),
                            choices(method="ml", benchmark=None))
    small_area = SmallAreaRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("small-area-detail", args=[small_area.pk])
    assert small_area.spec["method"] == "ml" and small_area.spec["benchmark"] is False
    assert small_area.spec["rule"]["direct_threshold"] == pytest.approx(0.2)
    event = AuditEvent.objects.get(object_type="analysis.SmallAreaRun",
                                   object_id=str(small_area.pk))
    assert event.action == AuditEvent.Action.CREATED
    assert small_area.created_by is not None and event.user == small_area.created_by

    page = analyst.get(response["Location"] + "?measure=victim_online").content.decode()
    fit = small_area.fits["victim_online"]
    assert "ML (maximum likelihood)" in page and "not benchmarked" in page
    assert "GVF" in page or "generalised variance function" in page
    for coefficient in fit["coefficients"]:
        assert f"<td>{coefficient['name']}</td>" in page
    assert page.count("<svg") == 3 and not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "standardised residuals by borough" in page
    assert "direct against model-based estimate" in page
    assert "Used for publication" in page
    rows = re.findall(r'<tr class="source-([a-z-]+)">', page)
    assert len(rows) == 33 and set(rows) <= {"direct", "model-based", "suppressed"}
    assert "Westminster" in page
    # the other measure's tab
    other = analyst.get(response["Location"] + "?measure=confident_police").content.decode()
    assert '<strong aria-current="page">' in other and page != other


def test_the_eblup_interval_is_clipped_and_residuals_are_standardised(analyst, run):
    from analysis.small_area_diagnostics import measure_diagnostics

    analyst.post(reverse("small-area-start", args=[run.wave_id]), choices(benchmark=None))
    small_area = SmallAreaRun.objects.get()
    chosen = measure_diagnostics(small_area, "victim_online")
    a = small_area.fits["victim_online"]["model_variance"]
    for row in chosen.rows:
        assert 0.0 <= row["eblup_low"] <= row["eblup"] <= row["eblup_high"] <= 1.0
        half = 1.96 * np.sqrt(row["mse"])
        assert row["eblup_low"] == pytest.approx(max(row["eblup"] - half, 0.0))
        if row["direct"] is not None and row["model_variance_input"] is not None:
            assert row["residual"] == pytest.approx(
                (row["direct"] - row["synthetic"]) / np.sqrt(a + row["model_variance_input"]))


def test_bad_choices_are_named_beside_their_fields(analyst, run):
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]), choices(
        measures=["victim_online", "nonsense"], method="bayes", auxiliaries=["crime"],
        direct_threshold="abc", model_threshold="150", direct_measure="", pool="3",
        overlap="sideways", table_columns=["x"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "correct the choices marked below" in page
    for message in ("Choose one or more of the measures listed.",
                    "Choose how the model is fitted", "Choose auxiliaries from the list",
                    "as a number of percent", "at most 100 percent",
                    "judged by its CV or by the width", "Only 1 wave of this questionnaire",
                    "how a business interviewed in two pooled waves",
                    "Choose columns from the uploaded borough tables listed."):
        assert message in page, message
    # what was chosen is shown again
    assert 'name="direct_threshold" value="abc"' in page
    assert not SmallAreaRun.objects.exists()


def test_a_model_error_from_the_service_is_shown_on_the_form(analyst, run):
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]),
                            choices(measures=["victim_any"]))
    assert response.status_code == 400
    assert "not in the wave&#x27;s data" in response.content.decode()
    assert not SmallAreaRun.objects.exists()


def test_columns_of_an_uploaded_table_join_the_model(analyst, run):
    lines = ["borough,crime_rate"] + [f"{code},{5 + i}" for i, code in enumerate(BOROUGHS)]
    table = borough_table_upload(content="\n".join(lines).encode(), name="crime.csv",
                                 source="Met Police recorded crime", as_of="2025-06-30")
    other = borough_table_upload(content="\n".join(lines).encode(), name="again.csv",
                                 source="Again", as_of="2025-06-30")
    page = analyst.get(reverse("small-area-new", args=[run.wave_id])).content.decode()
    assert "Met Police recorded crime, figures of 30 June 2025" in page
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]), choices(
        table_columns=[f"{table.pk}:crime_rate", f"{other.pk}:crime_rate"]))
    assert response.status_code == 400
    assert "one borough table only" in response.content.decode()
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]), choices(
        table_columns=[f"{table.pk}:crime_rate"], auxiliaries=["share_size_0_9"]))
    assert response.status_code == 302
    small_area = SmallAreaRun.objects.get()
    assert small_area.borough_table == table
    names = [c["name"] for c in small_area.fits["victim_online"]["coefficients"]]
    assert names == ["(Intercept)", "share_size_0_9", "crime_rate"]
    page = analyst.get(response["Location"]).content.decode()
    assert "crime_rate from the borough table crime.csv (Met Police recorded crime" in page


def test_a_borough_table_is_uploaded_from_the_form_page(analyst, run):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from analysis.models import BoroughTable

    url = reverse("borough-table-new", args=[run.wave_id])
    bad = SimpleUploadedFile("bad.csv", b"borough,rate\nGotham,1\n", "text/csv")
    response = analyst.post(url, {"file": bad, "source": "", "as_of": "2999-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The table was not uploaded: correct what is marked below." in page
    assert "Say where the figures come from" in page and "in the future" in page
    assert "Gotham" in page
    assert 'value="2999-01-01"' in page
    assert not BoroughTable.objects.exists()
    lines = ["borough,crime_rate"] + [f"{name},{i}" for i, name in
                                      enumerate(BOROUGHS.values(), start=3)]
    good = SimpleUploadedFile("crime.csv", "\n".join(lines).encode(), "text/csv")
    response = analyst.post(url, {"file": good, "source": "Met Police", "as_of": "2025-06-30"})
    assert response.status_code == 302
    assert response["Location"] == reverse("small-area-new", args=[run.wave_id])
    table = BoroughTable.objects.get()
    assert table.columns == ["crime_rate"] and table.source == "Met Police"
    page = analyst.get(response["Location"]).content.decode()
    assert f'value="{table.pk}:crime_rate"' in page and "uploaded" in page
    too_big = SimpleUploadedFile("big.csv", b"borough,x\n" + b"1" * 1_100_000, "text/csv")
    response = analyst.post(url, {"file": too_big, "source": "S", "as_of": "2025-06-30"})
    assert response.status_code == 400 and BoroughTable.objects.count() == 1


def test_pooling_the_last_waves_of_the_questionnaire(analyst, run, agency):
    earlier = accepted_run(agency, run.wave.sample.design.frame, seed=9, name="Wave SB")
    Wave.objects.filter(pk=earlier.wave_id).update(starts_on=dt.date(2025, 1, 6))
    Wave.objects.filter(pk=run.wave_id).update(starts_on=dt.date(2025, 4, 7))
    page = analyst.get(reverse("small-area-new", args=[run.wave_id])).content.decode()
    assert "Wave SB" in page
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]),
                            choices(pool="2", measures=["victim_online"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    small_area = SmallAreaRun.objects.get()
    assert small_area.spec["pool"] == [earlier.pk]
    page = analyst.get(response["Location"]).content.decode()
    assert "pooled" in page and "Wave SB" in page
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]),
                            choices(pool="3"))
    assert response.status_code == 400
    assert "Only 2 waves of this questionnaire" in response.content.decode()


def test_the_run_list_marks_the_run_publication_uses(analyst, run):
    url = reverse("small-area-start", args=[run.wave_id])
    analyst.post(url, choices(measures=["victim_online"]))
    analyst.post(url, choices(method="fh", measures=["victim_online"]))
    first, second = SmallAreaRun.objects.order_by("pk")
    page = analyst.get(reverse("small-area-list", args=[run.wave_id])).content.decode()
    assert page.count("Used for publication") == 1
    published = page.index('<tr class="published">')
    assert page.index(f"Borough estimates {second.pk}</a>", published) < page.index(
        "Used for publication")
    assert "Fay-Herriot moment method" in page
    old = analyst.get(reverse("small-area-detail", args=[first.pk])).content.decode()
    assert "Not used for publication" in old
    home = analyst.get(reverse("analysis-home")).content.decode()
    assert reverse("small-area-list", args=[run.wave_id]) in home


def test_an_analyst_chooses_the_run_publication_uses(analyst, run, users):
    from analysis.selectors import latest_small_area

    url = reverse("small-area-start", args=[run.wave_id])
    analyst.post(url, choices(measures=["victim_online"]))
    analyst.post(url, choices(method="fh", measures=["victim_online"]))
    first, second = SmallAreaRun.objects.order_by("pk")
    assert latest_small_area(run.wave) == second
    detail = analyst.get(reverse("small-area-detail", args=[first.pk])).content.decode()
    assert "Use these borough estimates for publication" in detail
    response = analyst.post(reverse("small-area-choose", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("small-area-list", args=[run.wave_id])
    assert latest_small_area(run.wave) == first
    first.refresh_from_db()
    assert first.chosen_by == users[Role.ANALYST] and first.chosen_at is not None
    assert AuditEvent.objects.filter(object_type="analysis.SmallAreaRun",
                                     object_id=str(first.pk),
                                     action=AuditEvent.Action.CHANGED).exists()
    page = analyst.get(reverse("small-area-list", args=[run.wave_id])).content.decode()
    published = page.index('<tr class="published">')
    assert page.index(f"Borough estimates {first.pk}</a>", published) < page.index(
        "Used for publication") and "chosen " in page
    assert page.count("Use for publication</button>") == 1
    # a later run does not take the place of a choice; choosing again moves it
    analyst.post(url, choices(method="ml", measures=["victim_online"]))
    assert latest_small_area(run.wave) == first
    analyst.post(reverse("small-area-choose", args=[second.pk]))
    assert latest_small_area(run.wave) == second
    # a run made from a weighting run that is no longer the accepted one cannot be chosen
    newer = type(run).objects.get(pk=run.pk)
    newer.pk = None
    newer.save()
    response = analyst.post(reverse("small-area-choose", args=[first.pk]))
    assert response.status_code == 302  # back with the message; nothing chosen
    assert latest_small_area(run.wave) is None
    first.refresh_from_db()
    assert first.chosen_at < SmallAreaRun.objects.get(pk=second.pk).chosen_at


def test_zero_model_variance_is_said(analyst, run):
    small_area = SmallAreaRun.objects.create(
        run=run, spec={"measures": ["victim_online"], "method": "reml", "rule": {},
                       "auxiliaries": []},
        fits={"victim_online": {"method": "reml", "model_variance": 0.0, "iterations": 3,
                                "coefficients": [{"name": "(Intercept)", "estimate": 0.3,
                                                  "se": 0.01, "z": 30.0, "p": 1e-12}],
                                "variance": "design variances as estimated",
                                "london_direct": 0.3, "london_se": 0.01}},
        notes=["A note."])
    SmallAreaEstimate.objects.bulk_create([SmallAreaEstimate(
        small_area=small_area, measure="victim_online", borough=code, n=10, direct=0.3,
        direct_se=0.1, model_variance_input=0.01, synthetic=0.3, eblup=0.3, mse=0.001,
        gamma=0.0, source="model-based", estimate=0.3) for code in BOROUGHS])
    page = analyst.get(reverse("small-area-detail", args=[small_area.pk])).content.decode()
    assert "estimated as zero" in page and "3 scoring steps" in page


def test_a_wave_without_an_accepted_run(analyst, run):
    run.accepted_at = None
    run.save()
    page = analyst.get(reverse("small-area-new", args=[run.wave_id])).content.decode()
    assert "no accepted weighting run" in page and 'name="method"' not in page
    response = analyst.post(reverse("small-area-start", args=[run.wave_id]), choices())
    assert response.status_code == 409
    assert not SmallAreaRun.objects.exists()


@pytest.mark.parametrize("role", [Role.INTERVIEWER, Role.SUPERVISOR])
def test_fieldwork_roles_cannot_open_the_pages(client, users, run, role):
    small_area = SmallAreaRun.objects.create(run=run, spec={"measures": []}, fits={})
    client.force_login(users[role])
    for url in (reverse("small-area-list", args=[run.wave_id]),
                reverse("small-area-new", args=[run.wave_id]),
                reverse("small-area-detail", args=[small_area.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("small-area-start", args=[run.wave_id]),
                       choices()).status_code == 403
    assert client.post(reverse("small-area-choose", args=[small_area.pk])).status_code == 403
    small_area.refresh_from_db()
    assert small_area.chosen_at is None
    assert SmallAreaRun.objects.count() == 1


def test_anonymous_is_sent_to_log_in_and_unknown_records_are_404(client, analyst, run):
    assert analyst.get(reverse("small-area-detail", args=[999999])).status_code == 404
    assert analyst.get(reverse("small-area-list", args=[999999])).status_code == 404
    client.logout()
    response = client.get(reverse("small-area-list", args=[run.wave_id]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_borough_table_upload_is_audited(run):
    lines = ["borough,rate"] + [f"{code},1" for code in BOROUGHS]
    table = borough_table_upload(content="\n".join(lines).encode(), name="r.csv",
                                 source="S", as_of="2025-01-01")
    assert AuditEvent.objects.filter(object_type="analysis.BoroughTable",
                                     object_id=str(table.pk)).exists()

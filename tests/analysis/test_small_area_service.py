"""Borough estimates from an accepted weighting run: direct, Fay-Herriot, benchmarking and
the publication rule, stored per borough x measure (a constructed wave)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from accounts.roles import Role
from analysis import core
from analysis.core.small_area import SmallAreaError, fay_herriot, model_matrix
from analysis.models import SmallAreaEstimate
from analysis.services import estimate_set_create, run_design, weighted_respondents, weighting_run
from analysis.small_area_runs import borough_table_upload, small_area_estimates
from analysis.weighting_runs import weighting_accept
from sampling import services as sampling
from sampling.data.boroughs import BOROUGHS
from sampling.selectors import borough_auxiliaries
from survey.models import Case, Interview, Wave
from tests.analysis.test_wave_weighting import tiny_version
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(agency):
    """An accepted run of a closed wave: 700 of 4,000 businesses, 65% answer; the online-crime
    rate varies by borough so that a model has something to find."""
    return accepted_run(agency, sampling.frame_create_synthetic(size=4000, seed=11), seed=4)


def accepted_run(agency, frame, *, seed, name="Wave SA"):
    design = sampling.sample_design_create(frame=frame, name=name, n=700, seed=seed,
                                           allocation="proportional", replicates=1,
                                           strata_dimensions=["borough", "size_band"],
                                           min_stratum_size=30)
    sample = sampling.sample_draw(design=design)
    sampling.replicates_release(sample=sample, replicates=[1])
    wave = Wave.objects.create(name=name, questionnaire_version=tiny_version(),
                               sample=sample, agency=agency, target_interviews=400,
                               status=Wave.Status.CLOSED)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    rng = np.random.default_rng(seed + 3)
    codes = list(BOROUGHS)
    for business in sample.businesses.select_related("business"):
        case = Case.objects.create(wave=wave, sampled_business=business,
                                   stratum=business.stratum, status=Case.Status.FINAL)
        if rng.random() < 0.65:
            case.final_code = "1.1"
            rate = 0.15 + 0.4 * codes.index(business.business.borough) / 32
            Interview.objects.create(
                case=case, version=wave.questionnaire_version, interviewer=interviewer,
                status=Interview.Status.COMPLETE,
                answers={"confidence_police": int(rng.integers(1, 6)),
                         "victim_online": int(rng.random() < rate)})
        else:
            case.final_code = "2.11"
        case.save()
    run = weighting_run(wave=wave)
    return weighting_accept(run=run)


def test_borough_estimates_are_the_direct_ones_and_the_fay_herriot_fit(run):
    result = small_area_estimates(run=run, measures=["victim_online"], smooth=False,
                                  benchmark=False)
    rows = pd.DataFrame.from_records(list(result.rows.values()))
    assert len(rows) == 33 and set(rows["borough"]) == set(BOROUGHS)
    # the direct estimates are the estimator's on the whole design
    data = weighted_respondents(run)
    design = run_design(run, data)
    values = data["victim_online"].astype(float).to_numpy()
    by = core.estimate(design, "proportion", values,
                       core.domains_by(data["borough"].to_numpy(object), "borough"))
    direct = rows.set_index("borough")
    for label, estimate, se in zip(by.domains, by.estimate, by.se, strict=True):
        assert direct.loc[label, "direct"] == pytest.approx(estimate, rel=1e-12)
        assert direct.loc[label, "direct_se"] == pytest.approx(se, rel=1e-12)
    # the model is the core's on the frame's auxiliaries
    aux = borough_auxiliaries(run.wave.sample.design.frame)
    y = direct.loc[list(BOROUGHS), "direct"].to_numpy(float)
    v = direct.loc[list(BOROUGHS), "direct_se"].to_numpy(float) ** 2
    usable = np.isfinite(v) & (v > 0)
    x = model_matrix({"log_businesses": aux["log_businesses"],
                      "share_size_0_9": aux["share_size_0_9"]}, {}, n_rows=33)
    fit = fay_herriot(np.where(usable, y, np.nan), np.where(usable, v, np.nan), x,
                      domains=list(BOROUGHS))
    np.testing.assert_allclose(direct.loc[list(BOROUGHS), "eblup"].to_numpy(float), fit.eblup,
                               rtol=1e-12)
    np.testing.assert_allclose(direct.loc[list(BOROUGHS), "mse"].to_numpy(float), fit.mse,
                               rtol=1e-12)
    stored = result.fits["victim_online"]
    assert stored["model_variance"] == pytest.approx(fit.model_variance)
    assert [c["name"] for c in stored["coefficients"]] == ["(Intercept)", "log_businesses",
                                                           "share_size_0_9"]
    assert all(c["se"] > 0 for c in stored["coefficients"])
    assert "benchmark" not in stored and "not smoothed" in " ".join(result.notes)


def test_rule_smoothing_and_benchmarking(run):
    result = small_area_estimates(run=run, measures=["victim_online", "confident_police"],
                                  method="ml", rule={"direct_threshold": 0.15,
                                                     "model_threshold": 0.3})
    rows = pd.DataFrame.from_records(list(result.rows.values()))
    assert len(rows) == 66
    assert set(rows["source"]) <= {"direct", "model-based", "suppressed"}
    for measure, fit in result.fits.items():
        assert "error" not in fit, fit
        assert fit["method"] == "ml" and "GVF" in fit["variance"]
        part = rows[rows["measure"] == measure].set_index("borough").loc[list(BOROUGHS)]
        counts = borough_auxiliaries(run.wave.sample.design.frame)["businesses"]
        # benchmarked: the count-weighted EBLUPs average to the direct London estimate
        assert (part["eblup"] * counts).sum() / counts.sum() == pytest.approx(
            fit["london_direct"], rel=1e-10)
        assert fit["counts"] == part["source"].value_counts().to_dict()
    direct = rows[rows["source"] == "direct"]
    assert (direct["direct_cv"] <= 0.15).all()
    assert (direct["estimate"] == direct["direct"]).all()
    model = rows[rows["source"] == "model-based"]
    assert not model.empty
    assert (model["rrmse"] <= 0.3).all() and (model["estimate"] == model["eblup"]).all()
    assert ((model["ci_low"] >= 0) & (model["ci_high"] <= 1)).all()
    np.testing.assert_allclose(model["ci_high"], np.clip(model["eblup"] + 1.96 * np.sqrt(
        model["mse"]), 0, 1))
    suppressed = rows[rows["source"] == "suppressed"]
    assert suppressed["estimate"].isna().all()
    assert all(rows["note"].str.len() > 0)
    assert result.spec["rule"]["direct_threshold"] == 0.15
    assert any("benchmarked" in n for n in result.notes)
    assert any("CV is at most 15%" in n for n in result.notes)


def test_an_uploaded_table_joins_the_model(run):
    rng = np.random.default_rng(3)
    lines = ["borough,crime_rate"] + [f"{code},{rng.uniform(5, 40):.3f}" for code in BOROUGHS]
    table = borough_table_upload(content="\n".join(lines).encode(), name="crime.csv",
                                 source="Met Police", as_of="2025-06-30")
    result = small_area_estimates(run=run, measures=["victim_online"], borough_table=table,
                                  table_columns=["crime_rate"], auxiliaries=["share_size_0_9"])
    names = [c["name"] for c in result.fits["victim_online"]["coefficients"]]
    assert names == ["(Intercept)", "share_size_0_9", "crime_rate"]
    assert result.borough_table == table and "Met Police" in " ".join(result.notes)


def test_estimate_set_gives_run_and_measures(run):
    estimates = estimate_set_create(run=run)
    result = small_area_estimates(estimate_set=estimates)
    assert result.run == run and result.estimate_set == estimates
    assert result.spec["measures"] == estimates.spec["proportions"]


def test_bad_requests_fail_clearly_and_store_nothing(run):
    before = SmallAreaEstimate.objects.count()
    with pytest.raises(SmallAreaError, match="method must be one of"):
        small_area_estimates(run=run, method="bayes")
    with pytest.raises(SmallAreaError, match="not one of the frame's"):
        small_area_estimates(run=run, auxiliaries=["crime"])
    with pytest.raises(SmallAreaError, match="not in the wave's data"):
        small_area_estimates(run=run, measures=["victim_fraud"])
    with pytest.raises(SmallAreaError, match="choose the uploaded borough table"):
        small_area_estimates(run=run, table_columns=["crime_rate"])
    with pytest.raises(SmallAreaError, match="direct_measure must be one of"):
        small_area_estimates(run=run, rule={"direct_measure": "rse"})
    draft = weighting_run(wave=run.wave)
    with pytest.raises(SmallAreaError, match="is a draft"):
        small_area_estimates(run=draft)
    assert SmallAreaEstimate.objects.count() == before


def test_a_model_that_cannot_be_fitted_keeps_the_direct_estimates(run):
    shares = [c for c in borough_auxiliaries(run.wave.sample.design.frame).columns
              if c.startswith("share_size_")]
    result = small_area_estimates(run=run, measures=["victim_online"], auxiliaries=shares)
    fit = result.fits["victim_online"]
    assert "linear combination" in fit["error"]
    sources = set(result.rows.values_list("source", flat=True))
    assert sources <= {"direct", "suppressed"}
    assert not result.rows.filter(eblup__isnull=False).exists()


def test_api_uploads_a_table_runs_and_reads_borough_estimates(client, users, run):
    from django.urls import reverse

    client.force_login(users[Role.ANALYST])
    lines = ["borough,crime_rate"] + [f"{name},{i + 3}" for i, name in
                                      enumerate(BOROUGHS.values())]
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "crime.csv"
    response = client.post(reverse("api-borough-tables"),
                           {"file": upload, "source": "Met Police", "as_of": "2025-06-30"})
    assert response.status_code == 201, response.content
    table_id = response.json()["id"]
    assert client.get(reverse("api-borough-tables")).json()[0]["columns"] == ["crime_rate"]
    response = client.post(reverse("api-small-area-start", args=[run.pk]), {
        "measures": ["victim_online"], "method": "fh", "borough_table": table_id,
        "table_columns": ["crime_rate"], "auxiliaries": ["share_size_0_9"],
        "rule": {"direct_measure": "width", "direct_threshold": 0.3}},
        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["spec"]["method"] == "fh" and body["spec"]["rule"]["direct_measure"] == "width"
    assert len(body["rows"]) == 33
    westminster = next(r for r in body["rows"] if r["borough"] == "E09000033")
    assert westminster["borough_name"] == "Westminster"
    assert westminster["source"] in ("direct", "model-based", "suppressed")
    read = client.get(reverse("api-small-area", args=[body["id"]])).json()
    assert read["fits"]["victim_online"]["method"] == "fh"
    assert read["rows"] == body["rows"]


def test_api_names_bad_options_and_bad_files(client, users, run):
    from django.urls import reverse

    client.force_login(users[Role.ADMIN])
    response = client.post(reverse("api-small-area-start", args=[run.pk]),
                           {"auxiliaries": ["crime"]}, content_type="application/json")
    assert response.status_code == 400
    assert "not one of the frame's" in response.json()["errors"][0]["message"]
    upload = io.BytesIO(b"borough,rate\nGotham,1\n")
    upload.name = "bad.csv"
    response = client.post(reverse("api-borough-tables"),
                           {"file": upload, "source": "", "as_of": "2025-06-30"})
    assert response.status_code == 400
    problems = response.json()["errors"][0]["problems"]
    assert [p["field"] for p in problems] == ["source", "file", "file"]
    assert problems[1]["row"] == 2 and problems[1]["column"] == "borough"


@pytest.mark.parametrize("role", [Role.INTERVIEWER, Role.SUPERVISOR])
def test_fieldwork_roles_cannot_run_small_area(client, users, role, run):
    from django.urls import reverse

    client.force_login(users[role])
    assert client.post(reverse("api-small-area-start", args=[run.pk]), {},
                       content_type="application/json").status_code == 403


def test_pooled_waves_give_the_direct_estimates_the_model_is_fitted_on(run, agency):
    from analysis.core.pooling import WaveSample, pool_waves

    earlier = accepted_run(agency, run.wave.sample.design.frame, seed=9, name="Wave SB")
    result = small_area_estimates(run=run, pool=[earlier], measures=["victim_online"],
                                  overlap="cluster")
    waves = []
    for r in (run, earlier):
        data = weighted_respondents(r)
        references = dict(Case.objects.filter(pk__in=list(data.index)).values_list(
            "pk", "sampled_business__business__reference"))
        waves.append(WaveSample(r.wave.name, run_design(r, data),
                                data["victim_online"].astype(float).to_numpy(),
                                domains=data["borough"].to_numpy(object),
                                units=[references[c] for c in data.index],
                                strata=data["stratum"].astype(str).to_numpy(object)))
    pooled = pool_waves(waves, overlap="cluster")
    assert pooled.overlap_units > 0
    by = pooled.estimate("proportion", by="borough")
    rows = pd.DataFrame.from_records(list(result.rows.values())).set_index("borough")
    for label, estimate, se in zip(by.domains, by.estimate, by.se, strict=True):
        assert rows.loc[label, "direct"] == pytest.approx(estimate, rel=1e-12)
        assert rows.loc[label, "direct_se"] == pytest.approx(se, rel=1e-12)
    assert set(rows["source"]) <= {"pooled", "model-based", "suppressed"}
    assert "pooled" in set(rows["source"])
    fit = result.fits["victim_online"]
    assert fit["london_direct"] == pytest.approx(pooled.estimate("proportion").estimate[0])
    assert fit["pooled"] == pooled.note() and "2 waves (Wave SA, Wave SB)" in fit["pooled"]
    assert result.spec["pool"] == [earlier.pk] and result.spec["overlap"] == "cluster"
    assert any("pooled over 2 waves" in n for n in result.notes)
    with pytest.raises(SmallAreaError, match="same wave"):
        small_area_estimates(run=run, pool=[run])

    from django.test import Client
    from django.urls import reverse

    from tests.factories import make_user

    client = Client()
    client.force_login(make_user(Role.ANALYST))
    response = client.post(reverse("api-small-area-start", args=[run.pk]), {
        "measures": ["victim_online"], "pool": [earlier.pk], "overlap": "independent"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["spec"]["overlap"] == "independent"
    assert "treated as independent" in response.json()["fits"]["victim_online"]["pooled"]


def test_the_latest_borough_estimates_of_a_wave(run):
    from analysis.selectors import latest_small_area, small_area_rows

    assert latest_small_area(run.wave) is None
    first = small_area_estimates(run=run, measures=["victim_online"])
    second = small_area_estimates(run=run, measures=["victim_online", "confident_police"])
    assert latest_small_area(run.wave) == second != first
    rows = small_area_rows(second, "confident_police")
    assert len(rows) == 33 and {r["measure"] for r in rows} == {"confident_police"}
    assert rows[0]["borough_name"] == "City of London"


def test_when_smoothing_cannot_be_fitted_the_design_variances_are_used_and_said(
        run, monkeypatch):
    import analysis.small_area_runs as runs

    def cannot(*args, **kwargs):
        raise SmallAreaError("the variance function needs at least 4 domains with 0 < p < 1")

    monkeypatch.setattr(runs, "smooth_proportion_variance", cannot)
    result = small_area_estimates(run=run, measures=["victim_online"], benchmark=False)
    fit = result.fits["victim_online"]
    assert "error" not in fit and "gvf" not in fit
    assert fit["variance"].startswith("design variances as estimated")
    assert "smoothing was asked for but the variance function needs" in fit["variance"]
    assert result.rows.filter(eblup__isnull=False).exists()
    assert ("Where the variance function could not be fitted (victim_online), the design "
            "variances were used as estimated.") in result.notes

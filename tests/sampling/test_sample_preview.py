"""The allocation preview: what a design would draw, by borough, sector and size band,
before anything is stored; the stored sample is then exactly the one previewed."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from sampling import selectors, services
from sampling.models import Sample, SampleDesign

pytestmark = pytest.mark.django_db

DESIGN = {"name": "Wave 1", "n": 300, "allocation": "proportional", "seed": 7, "replicates": 3,
          "min_stratum_size": 30}
FORM = {**DESIGN, "min_per_borough": 0, "anticipated_proportion": 0.5,
        "large_business_factor": 1.0, "min_stratum_size": 30, "exclude_recent_waves": 0}


@pytest.fixture
def frame():
    return services.frame_create_synthetic(size=4000, seed=11)


def test_the_preview_sums_to_the_sample_and_the_frame_and_stores_nothing(frame):
    preview = selectors.sample_preview(frame=frame, **DESIGN)
    assert preview.n == 300 and preview.strata > 0
    for table in (preview.by_borough, preview.by_sector, preview.by_size_band):
        assert table["sampled"].sum() == 300 and table["businesses"].sum() == 4000
        assert table["share_of_sample"].sum() == pytest.approx(1, abs=1e-3)
    assert preview.by_borough["label"].iloc[0] == "City of London"
    assert "Professional and business services" in set(preview.by_sector["label"])
    assert list(preview.by_size_band["key"])[:2] == ["0-9", "10-49"]
    assert not Sample.objects.exists() and not SampleDesign.objects.exists()


def test_the_stored_sample_is_the_one_previewed(frame):
    preview = selectors.sample_preview(frame=frame, **DESIGN)
    sample = services.sample_draw(design=services.sample_design_create(frame=frame, **DESIGN))
    stored = selectors.sample_table(sample)["borough"].value_counts()
    previewed = preview.by_borough.set_index("key")["sampled"]
    assert stored.sort_index().to_dict() == previewed[previewed > 0].sort_index().to_dict()


def test_an_impossible_design_is_a_clear_error_in_the_preview(frame, client, users):
    client.force_login(users[Role.ANALYST])
    response = client.post(reverse("api-sample-preview", args=[frame.pk]),
                           {**DESIGN, "n": 10_000_000}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert not Sample.objects.exists()


def test_page_previews_then_draws_and_stores(frame, client, users):
    client.force_login(users[Role.ANALYST])
    url = reverse("frame-detail", args=[frame.pk])
    page = client.post(url, {**FORM, "action": "preview"})
    assert page.status_code == 200 and not Sample.objects.exists()
    text = page.text
    assert "Preview: 300 businesses" in text and "not stored yet" in text
    assert 'data-by="borough"' in text and 'data-by="sector"' in text
    assert 'data-by="size-band"' in text and "City of London" in text
    assert "Draw and store this sample (300 businesses)" in text
    stored = client.post(url, {**FORM, "action": "draw"})
    assert stored.status_code == 302 and Sample.objects.count() == 1


def test_api_preview(frame, client, users):
    client.force_login(users[Role.ANALYST])
    response = client.post(reverse("api-sample-preview", args=[frame.pk]), DESIGN,
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["n"] == 300
    assert sum(row["sampled"] for row in body["by_sector"]) == 300
    assert {"key", "label", "businesses", "sampled", "sampled_per_1000",
            "share_of_sample"} == set(body["by_borough"][0])
    assert not Sample.objects.exists()

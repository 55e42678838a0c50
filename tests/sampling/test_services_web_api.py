"""Frames and samples stored in the database, drawn and released by analysts (web and API)."""

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from sampling import core, selectors, services
from sampling.models import Frame, FrameBusiness, Sample, SampledBusiness

pytestmark = pytest.mark.django_db

DESIGN = {"name": "Wave 1", "n": 300, "allocation": "proportional", "seed": 7, "replicates": 3}


@pytest.fixture
def frame():
    return services.frame_create_synthetic(size=4000, seed=11)


def frame_csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode()


GOOD_ROW = {"reference": "B1", "name": "Acme Fictional Ltd", "address": "1 High Street",
            "postcode": "SW1A 1AA", "phone": "020 7946 0001", "borough": "Westminster",
            "sic2007": "62012", "employees": 12}


def test_a_synthetic_frame_is_stored_with_its_summary(frame):
    assert frame.size == 4000 == FrameBusiness.objects.filter(frame=frame).count()
    assert sum(frame.summary["size_band"].values()) == 4000
    assert set(frame.summary["borough"]) <= {f"E090000{i:02d}" for i in range(1, 34)}


def test_draw_stores_the_sample_and_weights_add_up_to_the_frame(frame):
    design = services.sample_design_create(frame=frame, **DESIGN)
    sample = services.sample_draw(design=design)
    table = selectors.sample_table(sample)
    assert len(table) == 300 == SampledBusiness.objects.filter(sample=sample).count()
    assert table["design_weight"].sum() == pytest.approx(4000)
    assert set(table["replicate"]) == {1, 2, 3}
    assert sum(r["allocated"] for r in sample.allocation_table) == 300


def test_same_design_and_seed_draws_the_same_sample(frame):
    first = services.sample_draw(design=services.sample_design_create(frame=frame, **DESIGN))
    second = services.sample_draw(design=services.sample_design_create(
        frame=frame, **{**DESIGN, "name": "again"}))
    refs = [set(selectors.sample_table(s)["reference"]) for s in (first, second)]
    assert refs[0] == refs[1]


def test_a_later_wave_avoids_businesses_sampled_recently(frame):
    first = services.sample_draw(design=services.sample_design_create(frame=frame, **DESIGN))
    later = services.sample_draw(design=services.sample_design_create(
        frame=frame, **{**DESIGN, "name": "Wave 2", "exclude_recent_waves": 1}))
    overlap = set(selectors.sample_table(first)["reference"]) & set(
        selectors.sample_table(later)["reference"])
    assert overlap == set()


def test_release_recomputes_probabilities_from_released_replicates(frame):
    sample = services.sample_draw(design=services.sample_design_create(frame=frame, **DESIGN))
    services.replicates_release(sample=sample, replicates=[1])
    released = selectors.sample_table(sample, released_only=True)
    assert set(released["replicate"]) == {1}
    populations = {r["stratum"]: r["population"] for r in sample.allocation_table}
    for stratum, rows in released.groupby("stratum"):
        assert rows["inclusion_probability"].iloc[0] == pytest.approx(
            len(rows) / populations[stratum])
    missing = services.replicates_release(sample=sample, replicates=[2, 3])
    assert missing == []
    everything = selectors.sample_table(sample, released_only=True)
    assert len(everything) == 300
    assert everything["design_weight"].sum() == pytest.approx(4000)
    with pytest.raises(core.SelectionError, match="no replicate 9"):
        services.replicates_release(sample=sample, replicates=[9])


def test_a_bad_frame_file_imports_nothing(tmp_path):
    path = tmp_path / "frame.csv"
    path.write_bytes(frame_csv([GOOD_ROW, {**GOOD_ROW, "reference": "B2", "borough": "Narnia",
                                           "employees": "many"}]))
    with pytest.raises(core.FrameError) as caught:
        services.frame_import(path=path)
    fields = {(i.row, i.field) for i in caught.value.issues}
    assert (3, "borough") in fields and (3, "employees") in fields
    assert Frame.objects.count() == 0 and FrameBusiness.objects.count() == 0


def test_web_flow_import_draw_release_download(client, users, tmp_path):
    client.force_login(users[Role.ANALYST])
    rows = [{**GOOD_ROW, "reference": f"B{i}", "phone": f"020 7946 {i:04d}"} for i in range(60)]
    upload = SimpleUploadedFile("frame.csv", frame_csv(rows))
    response = client.post(reverse("sampling-home"), {"upload-file": upload})
    frame = Frame.objects.get()
    assert response.status_code == 302 and frame.size == 60
    response = client.post(reverse("frame-detail", args=[frame.pk]), {
        "name": "tiny", "n": 10, "allocation": "proportional", "min_per_borough": 0,
        "anticipated_proportion": 0.5, "large_business_factor": 1.0, "min_stratum_size": 1,
        "seed": 3, "replicates": 2, "exclude_recent_waves": 0})
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert client.get(reverse("sample-detail", args=[sample.pk])).status_code == 200
    response = client.post(reverse("sample-release", args=[sample.pk]), {"replicates": [1]})
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.released_replicates == [1]
    csv = client.get(reverse("sample-download", args=[sample.pk])).content
    table = pd.read_csv(io.BytesIO(csv))
    assert list(table.columns) == selectors.SAMPLE_EXPORT_COLUMNS
    assert table["design_weight"].sum() == pytest.approx(60)


def test_web_import_lists_every_bad_row(client, users):
    client.force_login(users[Role.ANALYST])
    bad = [{**GOOD_ROW, "sic2007": "xx"}, {**GOOD_ROW, "reference": "B2", "postcode": "nope"}]
    response = client.post(reverse("sampling-home"),
                           {"upload-file": SimpleUploadedFile("f.csv", frame_csv(bad))})
    assert response.status_code == 400
    html = response.content.decode()
    assert "sic2007" in html and "postcode" in html and "nothing was imported" in html
    assert Frame.objects.count() == 0


def test_api_import_draw_release(client, users):
    client.force_login(users[Role.ANALYST])
    rows = [{**GOOD_ROW, "reference": f"B{i}", "phone": f"020 7946 {i:04d}"} for i in range(40)]
    response = client.post(reverse("api-frames"),
                           {"file": SimpleUploadedFile("frame.csv", frame_csv(rows))})
    assert response.status_code == 201, response.content
    frame_id = response.json()["id"]
    response = client.post(reverse("api-sample-draw", args=[frame_id]),
                           {"name": "api", "n": 8, "allocation": "proportional", "seed": 1,
                            "replicates": 2, "min_stratum_size": 1},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["selected"] == 8
    response = client.post(reverse("api-sample-release", args=[body["id"]]),
                           {"replicates": [1, 2]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["released_replicates"] == [1, 2]


def test_api_errors_are_400_with_their_place(client, users):
    client.force_login(users[Role.ADMIN])
    bad = [{**GOOD_ROW, "borough": "Atlantis"}]
    response = client.post(reverse("api-frames"),
                           {"file": SimpleUploadedFile("f.csv", frame_csv(bad))})
    assert response.status_code == 400
    problem = response.json()["errors"][0]["problems"][0]
    assert (problem["row"], problem["field"], problem["value"]) == (2, "borough", "Atlantis")
    frame = services.frame_create_synthetic(size=500, seed=2)
    response = client.post(reverse("api-sample-draw", args=[frame.pk]),
                           {"name": "too big", "n": 10_000, "allocation": "proportional",
                            "seed": 1}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_design"


@pytest.mark.parametrize("role", list(Role))
def test_only_analysts_and_admins_sample(client, users, role):
    client.force_login(users[role])
    allowed = role in (Role.ANALYST, Role.ADMIN)
    assert client.get(reverse("sampling-home")).status_code == (200 if allowed else 403)
    assert client.get(reverse("api-frames")).status_code == (200 if allowed else 403)

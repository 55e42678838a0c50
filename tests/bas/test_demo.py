"""The demo runs end to end and prints what it did."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role


@pytest.mark.django_db(transaction=True)
def test_demo_creates_one_user_per_role_and_prints_logins(tmp_path):
    out = StringIO()
    small = {"frame_size": 8000, "n": 1400, "target": 150, "days": 2, "interviewers": 5}
    call_command("demo", out=str(tmp_path / "demo"), stdout=out, **small)
    text = out.getvalue()
    for role in Role:
        user = User.objects.get(username=f"demo_{role.value}")
        assert user.groups.filter(name=role.value).exists()
        assert f"login demo_{role.value}" in text
        assert user.check_password(f"demo_{role.value}-2026!")
    assert str(tmp_path / "demo") in text
    for output in ("bas_codebook.xlsx", "sample.csv", "estimates.csv",
                   "publication/bas_results.xlsx", "publication/bas_microdata.sav"):
        assert (tmp_path / "demo" / output).stat().st_size > 0
    assert "interviews completed" in text and "RR3" in text and "confident_police" in text
    # The simulated wave's fast interviewer (the last) is flagged, and nobody else.
    assert "flagged: demo_interviewer5 (seconds_per_question" in text
    assert text.count("flagged: ") == 1
    assert "published estimates" in text
    # Long steps say how far they have got, and the summary says what it counts.
    assert "day 1 of" in text and "interviews so far" in text
    assert "businesses sampled per borough" in text and "interviews per borough" not in text
    assert_dashboard_shows_model_based_boroughs(text)
    # Running it again is safe: nothing is duplicated.
    call_command("demo", out=str(tmp_path / "demo"), stdout=StringIO(), **small)
    assert User.objects.filter(username__startswith="demo_").count() == len(Role) + 4


def assert_dashboard_shows_model_based_boroughs(text: str) -> None:
    """The demo runs the small-area service after weighting: its dashboard shows model-based
    borough estimates exactly where the direct ones fail the rule (or the cell rule)."""
    from django.test import Client

    from exports.models import Publication

    assert "Small areas: borough estimates" in text and "borough figures:" in text
    publication = Publication.objects.latest("pk")
    small_area = publication.small_area
    assert small_area is not None and small_area.run_id == publication.estimate_set.run_id
    rule, threshold = small_area.spec["rule"], publication.rules["threshold"]
    chosen = {(r.measure, r.borough): r for r in small_area.rows.all()}
    html = Client().get("/results/").content.decode()
    data = json.loads(html.split('id="results-data" type="application/json">')[1]
                      .split("</script>")[0])
    boroughs = [r for r in data["rows"] if r["breakdown"] == "borough"]
    model = [r for r in boroughs if r["source"] == "model-based"]
    assert model, "the demo's dashboard shows model-based borough estimates"
    for row in model:
        stored = chosen[(row["measure"], row["domain"])]
        fails = stored.direct_cv is None or stored.direct_cv > rule["direct_threshold"]
        assert fails or stored.n < threshold  # the direct estimate fails the rule
        assert stored.rrmse <= rule["model_threshold"]
        assert row["estimate"] == round(stored.eblup, 3)
    for row in boroughs:
        if row["source"] == "direct":  # passes the rule and the cell rule
            stored = chosen.get((row["measure"], row["domain"]))
            assert stored is None or (stored.direct_cv <= rule["direct_threshold"]
                                      and stored.n >= threshold)

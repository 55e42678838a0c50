"""The wave's review setting: set on the set-up page and through the API, checked, shown."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from survey.models import Wave
from survey.services.wave_settings import WaveSettingsInvalid
from survey.services.waves import wave_create, wave_update
from tests.survey.test_wave_setup import api_body, client_for, form_data, setup  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_service_defaults_to_no_review_and_checks_the_setting(setup):  # noqa: F811
    wave = wave_create(**setup)
    assert wave.review_levels == Wave.Review.NONE
    wave = wave_update(wave=wave, review_levels=Wave.Review.AGENCY_MOPAC)
    assert wave.review_levels == "agency_mopac"
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_update(wave=wave, review_levels="everyone")
    assert caught.value.problems[0].field == "review_levels"
    assert "everyone" in caught.value.problems[0].message


def test_the_setup_page_sets_and_shows_review_levels(setup, users):  # noqa: F811
    analyst = client_for(users[Role.ANALYST])
    page = analyst.get(reverse("wave-new"))
    assert 'name="review_levels"' in page.text
    analyst.post(reverse("wave-new"), form_data(setup, review_levels="agency"))
    wave = Wave.objects.get()
    assert wave.review_levels == "agency"
    page = analyst.get(reverse("wave-detail", args=[wave.pk]))
    assert '<option value="agency" selected>' in page.text
    response = analyst.post(reverse("wave-detail", args=[wave.pk]),
                            form_data(setup, review_levels="nobody"))
    assert response.status_code == 400 and "Choose who reviews" in response.text
    analyst.post(reverse("wave-open", args=[wave.pk]))
    summary = analyst.get(reverse("wave-detail", args=[wave.pk]))
    assert "The agency&#x27;s supervisor approves" in summary.text


def test_the_api_sets_review_levels(setup, users):  # noqa: F811
    analyst = client_for(users[Role.ANALYST])
    body = analyst.post(reverse("api-waves"), api_body(setup, review_levels="agency_mopac"),
                        content_type="application/json").json()
    assert body["review_levels"] == "agency_mopac"
    changed = analyst.patch(reverse("api-wave", args=[body["id"]]), {"review_levels": "agency"},
                            content_type="application/json")
    assert changed.json()["review_levels"] == "agency"
    wrong = analyst.patch(reverse("api-wave", args=[body["id"]]), {"review_levels": "x"},
                          content_type="application/json")
    assert wrong.status_code == 400


def test_a_wave_set_up_on_the_page_or_the_api_is_reviewed_by_the_agency_unless_set(
        setup, users):  # noqa: F811
    analyst = client_for(users[Role.ANALYST])
    page = analyst.get(reverse("wave-new"))
    assert '<option value="agency" selected>' in page.text
    analyst.post(reverse("wave-new"), form_data(setup))
    assert Wave.objects.get().review_levels == Wave.Review.AGENCY
    body = analyst.post(reverse("api-waves"), api_body(setup),
                        content_type="application/json").json()
    assert body["review_levels"] == Wave.Review.AGENCY
    body = analyst.post(reverse("api-waves"), api_body(setup, name="Pilot", review_levels="none"),
                        content_type="application/json").json()
    assert body["review_levels"] == Wave.Review.NONE


def test_the_wave_summary_states_the_back_check_share_and_links_its_settings(
        setup, users):  # noqa: F811
    analyst = client_for(users[Role.ANALYST])
    analyst.post(reverse("wave-new"), form_data(setup))
    wave = Wave.objects.get()
    analyst.post(reverse("wave-open", args=[wave.pk]))
    summary = analyst.get(reverse("wave-detail", args=[wave.pk])).text
    assert "At least 10% of each interviewer's completes" in summary
    assert reverse("back-check-wave", args=[wave.pk]) in summary

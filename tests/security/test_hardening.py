"""Smaller hardening (issue 18, item 8): shared caches never keep a logged-in user's page,
the codebook's format never reaches a header, publishing needs a closed wave, and every page
is sent with a Content-Security-Policy."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.roles import Role
from exports.errors import PublicationError
from exports.services import wave_publish
from questionnaires.models import Questionnaire
from questionnaires.services import questionnaire_version_upload
from tests.questionnaires.helpers import YES_NO, build_xlsx
from tests.survey.fieldwork_factories import wave_in_field

pytestmark = pytest.mark.django_db


def test_results_are_public_for_anonymous_visitors_private_for_logged_in_users(client, users):
    response = client.get(reverse("results-dashboard"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "Cookie" in response["Vary"]
    client.force_login(users[Role.ANALYST])
    response = client.get(reverse("results-dashboard"))
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]
    assert users[Role.ANALYST].username in response.content.decode()  # why it is private


def _version(form_id: str):
    survey = [["type", "name", "label"], ["select_one yn", "q1", "Question"]]
    return questionnaire_version_upload(
        workbook=build_xlsx(survey, YES_NO, [["form_id"], [form_id]]), filename="f.xlsx")


def test_the_codebook_format_never_reaches_the_download_header(client, users):
    version = _version("plain")
    client.force_login(users[Role.ANALYST])
    base = reverse("questionnaire-codebook", args=[version.pk, "json"]).removesuffix(".json")
    for fmt in ('xlsx"; filename="evil.exe', "exe", "xlsx%0d%0aSet-Cookie:x=1", "json.exe"):
        assert client.get(f"{base}.{fmt}").status_code == 404, fmt
    response = client.get(f"{base}.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="plain-v1-codebook.xlsx"'
    # a form id with a quote is quoted by Django, not pasted in
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(form_id='a"b')
    header = client.get(f"{base}.json")["Content-Disposition"]
    assert header.count('"') in (0, 2) or '\\"' in header


def test_publish_refuses_a_wave_still_in_the_field(agency, tmp_path):
    wave = wave_in_field(agency)
    with pytest.raises(PublicationError) as caught:
        wave_publish(wave=wave, out=tmp_path / "out")
    assert caught.value.code == "wave_not_closed"
    assert not (tmp_path / "out").exists()
    with pytest.raises(CommandError, match="close the wave") as command:
        call_command("publish", str(wave.pk), out=str(tmp_path / "out"), stdout=StringIO())
    assert command.value.returncode == 2


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:",
                    re.IGNORECASE)


def test_no_template_has_inline_script_style_or_handler():
    roots = [Path(settings.BASE_DIR)]
    found = []
    for root in roots:
        for template in root.glob("*/templates/**/*.html"):
            if ".venv" in template.parts:
                continue
            for number, line in enumerate(template.read_text().splitlines(), start=1):
                if INLINE.search(line):
                    found.append(f"{template.relative_to(root)}:{number}: {line.strip()[:80]}")
    assert found == []


@pytest.mark.parametrize("name", ["home", "results-dashboard", "api-docs", "login"])
def test_every_page_has_a_same_origin_content_security_policy(client, users, name):
    client.force_login(users[Role.ANALYST])
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "style-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_api_docs_script_is_a_file_not_inline(client, users):
    client.force_login(users[Role.ANALYST])
    page = client.get(reverse("api-docs")).content.decode()
    assert not INLINE.search(page)
    script = re.search(r'<script src="([^"]*script[^"]*)"', page).group(1)
    response = client.get(script.replace("&amp;", "&"))
    assert response.status_code == 200 and "SwaggerUIBundle" in response.content.decode()

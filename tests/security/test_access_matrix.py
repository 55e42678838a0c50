"""Every URL and API endpoint x every role (and anonymous) x own or other agency.

The table below states who may use each named URL. A URL added without an entry here fails
`test_every_url_is_in_the_matrix`, so nothing new ships unchecked. Requests that change data
(POST) are checked only where they must be refused: a refused request changes nothing.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from analysis.models import EstimateSet, SmallAreaRun, WeightingRun
from exports.models import Publication, PublicationFile
from sampling.models import Sample
from survey.models import BackCheck, BackCheckDraw, Case, Interview
from survey.services.interviews import interview_start_or_resume
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field

pytestmark = pytest.mark.django_db

INT, SUP, ANA, ADM = Role.INTERVIEWER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN
EVERYONE = {INT, SUP, ANA, ADM}
MOPAC = {ANA, ADM}


@dataclass(frozen=True)
class Rule:
    kind: str | None  # which object the URL names, if any
    roles: frozenset  # roles that may use it; empty = public
    method: str = "get"
    scoped: bool = False  # the object belongs to an agency: other agencies' staff get 404
    api: bool = False


def rule(kind, roles, method="get", scoped=False, api=False):
    return Rule(kind, frozenset(roles), method, scoped, api)


MATRIX: dict[str, Rule] = {
    "home": rule(None, EVERYONE),
    "team": rule(None, {SUP, ADM}),
    "team-add": rule(None, {SUP, ADM}, "post"),
    "team-deactivate": rule("member", {SUP, ADM}, "post", scoped=True),
    "team-activate": rule("member", {SUP, ADM}, "post", scoped=True),
    "team-password": rule("member", {SUP, ADM}, "post", scoped=True),
    "agencies": rule(None, MOPAC),
    "questionnaire-list": rule(None, {SUP, ANA, ADM}),
    "questionnaire-upload": rule(None, MOPAC),
    "questionnaire-version": rule("version", {SUP, ANA, ADM}),
    "questionnaire-codebook": rule("codebook", {SUP, ANA, ADM}),
    "questionnaire-workbook": rule("version", {SUP, ANA, ADM}),
    "questionnaire-diff": rule("version_pair", {SUP, ANA, ADM}),
    "questionnaire-simulation": rule("version", MOPAC),
    "sampling-home": rule(None, MOPAC),
    "frame-detail": rule("frame", MOPAC),
    "sample-detail": rule("sample", MOPAC),
    "sample-release": rule("sample", MOPAC, "post"),
    "sample-download": rule("sample", MOPAC),
    "analysis-home": rule(None, MOPAC),
    "weighting-new": rule("wave_id", MOPAC),
    "weighting-start": rule("wave_id", MOPAC, "post"),
    "weighting-accept": rule("weighting", MOPAC, "post"),
    "weighting-detail": rule("weighting", MOPAC),
    "estimates-start": rule("weighting", MOPAC, "post"),
    "estimates-detail": rule("estimates", MOPAC),
    "estimates-download": rule("estimates_download", MOPAC),
    "small-area-list": rule("wave_id", MOPAC),
    "small-area-new": rule("wave_id", MOPAC),
    "small-area-start": rule("wave_id", MOPAC, "post"),
    "small-area-detail": rule("small_area", MOPAC),
    "borough-table-new": rule("wave_id", MOPAC, "post"),
    "small-area-choose": rule("small_area", MOPAC, "post"),
    "publication-list": rule(None, MOPAC),
    "publication-new": rule("wave_id", MOPAC),
    "publication-create": rule("wave_id", MOPAC, "post"),
    "publication-withdraw": rule("publication", MOPAC, "post"),
    "results-download": rule("publication_file", ()),
    "api-publication-preview": rule("wave", MOPAC, api=True),
    "api-publication-create": rule("wave", MOPAC, "post", api=True),
    "api-publication-withdraw": rule("publication", MOPAC, "post", api=True),
    "interviewing-home": rule(None, {INT}),
    "interviewing-next-case": rule("wave", {INT}, "post", scoped=True),
    "interviewing-case": rule("case", {INT}, scoped=True),
    "interviewing-case-outcome": rule("case", {INT}, "post", scoped=True),
    "interviewing-case-appointment": rule("case", {INT}, "post", scoped=True),
    "interviewing-case-interview": rule("case", {INT}, "post", scoped=True),
    "interviewing-interview": rule("interview", {INT}, scoped=True),
    "interviewing-interview-action": rule("interview", {INT}, "post", scoped=True),
    "waves": rule(None, {SUP, ANA, ADM}),
    "wave-new": rule(None, MOPAC),
    "wave-detail": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "wave-open": rule("wave_id", {SUP, ANA, ADM}, "post", scoped=True),
    "wave-extend": rule("wave_id", MOPAC, "post", scoped=True),
    "wave-close": rule("wave_id", {SUP, ANA, ADM}, "post", scoped=True),
    "supervision-home": rule(None, {SUP, ANA, ADM}),
    "supervision-wave": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-cases": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-cases-csv": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-progress-csv": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-quality": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-paradata": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "supervision-release": rule("wave_id", {SUP, ANA, ADM}, "post", scoped=True),
    "supervision-wave-open": rule("wave_id", {SUP, ADM}, "post", scoped=True),
    "supervision-wave-close": rule("wave_id", {SUP, ADM}, "post", scoped=True),
    "supervision-case-reassign": rule("case_id", {SUP, ADM}, "post", scoped=True),
    "supervision-case-close": rule("case_id", {SUP, ADM}, "post", scoped=True),
    "results-dashboard": rule(None, ()),
    "api-me": rule(None, EVERYONE, api=True),
    "api-agencies": rule(None, MOPAC, api=True),
    "api-team": rule(None, {SUP, ADM}, api=True),
    "api-team-deactivate": rule("member", {SUP, ADM}, "post", scoped=True, api=True),
    "api-team-activate": rule("member", {SUP, ADM}, "post", scoped=True, api=True),
    "api-team-password": rule("member", {SUP, ADM}, "post", scoped=True, api=True),
    "api-waves": rule(None, EVERYONE, api=True),
    "api-next-case": rule("wave", {INT}, "post", scoped=True, api=True),
    "api-my-calls-today": rule(None, {INT}, api=True),
    "api-my-appointments": rule(None, {INT}, api=True),
    "api-case": rule("case", EVERYONE, scoped=True, api=True),
    "api-case-calls": rule("case", {INT}, "post", scoped=True, api=True),
    "api-case-appointments": rule("case", {INT}, "post", scoped=True, api=True),
    "api-case-interview": rule("case", {INT}, "post", scoped=True, api=True),
    "api-interview": rule("interview", EVERYONE, scoped=True, api=True),
    "api-interview-answers": rule("interview", {INT}, "post", scoped=True, api=True),
    "api-interview-back": rule("interview", {INT}, "post", scoped=True, api=True),
    "api-interview-language": rule("interview", {INT}, "post", scoped=True, api=True),
    "api-interview-complete": rule("interview", {INT}, "post", scoped=True, api=True),
    "api-interview-break-off": rule("interview", {INT}, "post", scoped=True, api=True),
    "api-wave-supervision": rule("wave", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-wave-quality": rule("wave", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-wave-paradata": rule("wave", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-wave-release-replicate": rule("wave", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-wave": rule("wave", EVERYONE, scoped=True, api=True),
    "api-wave-extend": rule("wave", MOPAC, "post", scoped=True, api=True),
    "api-wave-open": rule("wave", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-wave-close": rule("wave", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-case-reassign": rule("case", {SUP, ADM}, "post", scoped=True, api=True),
    "api-case-close": rule("case", {SUP, ADM}, "post", scoped=True, api=True),
    "api-questionnaires": rule(None, {SUP, ANA, ADM}, api=True),
    "api-questionnaire-upload": rule(None, MOPAC, "post", api=True),
    "api-questionnaire-version": rule("version", {SUP, ANA, ADM}, api=True),
    "api-questionnaire-diff": rule("version_pair", {SUP, ANA, ADM}, api=True),
    "api-frames": rule(None, MOPAC, api=True),
    "api-sample-draw": rule("frame", MOPAC, "post", api=True),
    "api-sample-preview": rule("frame", MOPAC, "post", api=True),
    "api-sample": rule("sample", MOPAC, api=True),
    "api-sample-release": rule("sample", MOPAC, "post", api=True),
    "api-weighting-start": rule("wave_id", MOPAC, "post", api=True),
    "api-weighting": rule("weighting", MOPAC, api=True),
    "api-weighting-accept": rule("weighting", MOPAC, "post", api=True),
    "api-margins": rule(None, MOPAC, api=True),
    "api-estimates-start": rule("weighting", MOPAC, "post", api=True),
    "api-estimates": rule("estimates", MOPAC, api=True),
    "api-borough-tables": rule(None, MOPAC, api=True),
    "api-small-area-start": rule("weighting", MOPAC, "post", api=True),
    "api-small-area": rule("small_area", MOPAC, api=True),
    "public-waves": rule(None, (), api=True),
    "public-measures": rule(None, (), api=True),
    "public-domains": rule(None, (), api=True),
    "public-estimates": rule(None, (), api=True),
    "public-changes": rule(None, (), api=True),
    "back-check-to-do": rule(None, {INT, SUP}),
    "back-check-detail": rule("back_check", EVERYONE, scoped=True),
    "back-check-take": rule("back_check", {INT, SUP}, "post", scoped=True),
    "back-check-record": rule("back_check", {INT, SUP}, "post", scoped=True),
    "back-check-wave": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "back-check-draw": rule("wave_id", {SUP, ANA, ADM}, "post", scoped=True),
    "back-check-plan": rule("wave_id", MOPAC, "post", scoped=True),
    "api-wave-back-checks": rule("wave", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-wave-back-check-draw": rule("wave", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-wave-back-check-plan": rule("wave", MOPAC, "post", scoped=True, api=True),
    "api-back-check": rule("back_check", EVERYONE, scoped=True, api=True),
    "api-back-check-take": rule("back_check", {INT, SUP}, "post", scoped=True, api=True),
    "api-back-check-outcome": rule("back_check", {INT, SUP}, "post", scoped=True, api=True),
    "api-my-back-checks": rule(None, {INT, SUP}, api=True),
    "review-queue": rule("wave_id", {SUP, ANA, ADM}, scoped=True),
    "review-interview": rule("reviewed", {SUP, ANA, ADM}, scoped=True),
    "review-sent-back": rule(None, {INT}),
    "review-amend": rule("reviewed", {INT}, scoped=True),
    "api-review-queue": rule("wave", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-interview-review": rule("reviewed", {SUP, ANA, ADM}, scoped=True, api=True),
    "api-interview-approve": rule("reviewed", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-interview-reject": rule("reviewed", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-interview-escalate": rule("reviewed", {SUP, ANA, ADM}, "post", scoped=True, api=True),
    "api-sent-back": rule(None, {INT}, api=True),
    "api-sent-back-detail": rule("reviewed", {INT}, scoped=True, api=True),
    "api-interview-amend": rule("reviewed", {INT}, "post", scoped=True, api=True),
    "api-interview-resubmit": rule("reviewed", {INT}, "post", scoped=True, api=True),
    "api-schema": rule(None, (), api=True),
    "api-docs": rule(None, ()),
}
NOT_IN_MATRIX = {"login", "logout"}  # tested in tests/survey/test_roles.py


def url_names(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name


def test_every_url_is_in_the_matrix():
    missing = set(url_names()) - set(MATRIX) - NOT_IN_MATRIX
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"


@pytest.fixture
def world(agency, other_agency, users):
    """A wave with a case and an interview in each agency, plus MOPAC's analysis objects."""
    objects = {}
    for key, owner in (("own", agency), ("other", other_agency)):
        wave = wave_in_field(owner, name=f"Wave {key}")
        interviewer = users[INT] if key == "own" else make_user(INT, agency=owner)
        case = take_case(wave, interviewer)
        state, _ = interview_start_or_resume(case=case, user=interviewer, now=OPEN_NOW)
        objects[key] = {"wave": wave, "case": case, "interview": state.interview,
                        "member": interviewer}
    wave = objects["own"]["wave"]
    run = WeightingRun.objects.create(wave=wave, spec={}, status="done")
    estimates = EstimateSet.objects.create(run=run, spec={}, rows=[])
    publication = Publication.objects.create(wave=wave, estimate_set=estimates, rules={},
                                             facts={}, rows=[])
    PublicationFile.objects.create(publication=publication, name="bas_results.csv",
                                   content_type="text/csv", content=b"wave\r\n")
    for key in ("own", "other"):
        objects[key]["back_check"] = _back_check(objects[key]["wave"])
    for key in ("own", "other"):
        objects[key]["reviewed"] = _sent_back(objects[key]["wave"], objects[key]["member"])
    objects["global"] = {
        "version": wave.questionnaire_version,
        "sample": Sample.objects.filter(waves=wave).get(),
        "frame": wave.sample.design.frame,
        "weighting": run,
        "estimates": estimates,
        "small_area": SmallAreaRun.objects.create(run=run, spec={}, fits={}),
        "publication": publication,
    }
    return objects


def _back_check(wave):
    """A back-check of a complete by another interviewer of the wave's agency."""
    colleague = make_user(INT, agency=wave.agency)
    interview = Interview.objects.create(
        case=take_case(wave, colleague), version=wave.questionnaire_version,
        interviewer=colleague, status=Interview.Status.COMPLETE, started_at=OPEN_NOW,
        completed_at=OPEN_NOW)
    draw = BackCheckDraw.objects.create(wave=wave, day=OPEN_NOW.date(), cutoff=OPEN_NOW,
                                        share_percent=10, seed=1, drawn_at=OPEN_NOW)
    return BackCheck.objects.create(wave=wave, draw=draw, interview=interview,
                                    interviewer=colleague)


def _sent_back(wave, interviewer):
    """A complete interview (by a colleague) rejected back to `interviewer`."""
    from survey.models import Interview

    colleague = make_user(INT, agency=wave.agency)
    return Interview.objects.create(
        case=take_case(wave, colleague), version=wave.questionnaire_version,
        interviewer=colleague, status=Interview.Status.COMPLETE, started_at=OPEN_NOW,
        completed_at=OPEN_NOW, review_status=Interview.Review.REJECTED, returned_to=interviewer)


def kwargs_for(rule_: Rule, world, side: str) -> dict:
    if rule_.kind is None:
        return {}
    scoped = world[side]
    shared = world["global"]
    return {
        "wave": lambda: {"pk": scoped["wave"].pk},
        "wave_id": lambda: {"wave_id": scoped["wave"].pk},
        "case": lambda: {"pk": scoped["case"].pk},
        "case_id": lambda: {"case_id": scoped["case"].pk},
        "interview": lambda: {"pk": scoped["interview"].pk},
        "reviewed": lambda: {"pk": scoped["reviewed"].pk},
        "back_check": lambda: {"pk": scoped["back_check"].pk},
        "member": lambda: ({"user_id": scoped["member"].pk} if not rule_.api
                           else {"pk": scoped["member"].pk}),
        "version": lambda: {"pk": shared["version"].pk},
        "codebook": lambda: {"pk": shared["version"].pk, "fmt": "json"},
        "version_pair": lambda: {"pk": shared["version"].pk, "other": shared["version"].pk},
        "frame": lambda: {"pk": shared["frame"].pk},
        "sample": lambda: {"pk": shared["sample"].pk},
        "weighting": lambda: {"pk": shared["weighting"].pk},
        "estimates": lambda: {"pk": shared["estimates"].pk},
        "small_area": lambda: {"pk": shared["small_area"].pk},
        "estimates_download": lambda: {"pk": shared["estimates"].pk, "fmt": "csv"},
        "publication": lambda: {"pk": shared["publication"].pk},
        "publication_file": lambda: {"pk": shared["publication"].pk, "name": "bas_results.csv"},
    }[rule_.kind]()


def request(client, rule_: Rule, url: str):
    call = client.post if rule_.method == "post" else client.get
    return call(url, {}, content_type="application/json") if rule_.api else call(url)


CASES = [(name, role) for name in MATRIX for role in [None, *Role]]


@pytest.mark.parametrize(("name", "role"), CASES,
                         ids=[f"{n}-{r.value if r else 'anonymous'}" for n, r in CASES])
def test_access(client, users, world, name, role):
    rule_ = MATRIX[name]
    if role is not None:
        client.force_login(users[role])
    sides = ["own", "other"] if rule_.scoped else ["own"]
    for side in sides:
        url = reverse(name, kwargs=kwargs_for(rule_, world, side))
        allowed = not rule_.roles or role in rule_.roles
        if allowed and rule_.method == "post" and not (side == "other" and role in (INT, SUP)):
            continue  # an allowed change is tested with its module
        changes_before = _data_changes()
        cases_before = list(Case.objects.order_by("pk").values_list(
            "pk", "status", "assigned_to_id", "attempt_count"))
        response = request(client, rule_, url)
        status = response.status_code
        where = f"{rule_.method.upper()} {url} as {role or 'anonymous'} ({side})"
        if not allowed:
            if role is None:
                expected = {401, 403} if rule_.api else {302}
                assert status in expected, where
                if status == 302:
                    assert response["Location"].startswith(reverse("login")), where
            else:
                assert status == 403, f"{where}: {status}"
        elif side == "other" and role in (INT, SUP):
            assert status == 404, f"{where}: {status}"
        else:
            assert status == 200, f"{where}: {status}"
        assert _data_changes() == changes_before, where
        assert list(Case.objects.order_by("pk").values_list(
            "pk", "status", "assigned_to_id", "attempt_count")) == cases_before, where


def _data_changes() -> int:
    return AuditEvent.objects.exclude(action__startswith="login").count()


def test_contact_details_only_for_the_agencys_fieldwork_roles(client, users, world, agency):
    # need-to-know (one rule: survey.selectors.fieldwork.contact_details_visible; in full in
    # tests/security/test_contact_details.py): the interviewer who holds the case and the
    # agency's supervisors; not a colleague, not MOPAC
    case = world["own"]["case"]
    phone = case.sampled_business.business.phone
    for role in Role:
        client.force_login(users[role])
        body = client.get(reverse("api-case", args=[case.pk])).content.decode()
        assert (phone in body) == (role in (INT, SUP)), role
    client.force_login(make_user(INT, agency=agency))
    for name in ("api-case", "interviewing-case"):
        body = client.get(reverse(name, args=[case.pk])).content.decode()
        assert phone not in body, name
    client.logout()
    for name in ("public-waves", "public-estimates", "results-dashboard"):
        assert phone not in client.get(reverse(name)).content.decode()


POSTS = [name for name, r in MATRIX.items() if r.method == "post"]


@pytest.mark.parametrize("name", POSTS)
def test_every_form_and_api_change_needs_a_csrf_token(users, world, name):
    """With a logged-in session and no CSRF token, no change gets through."""
    from django.test import Client

    rule_ = MATRIX[name]
    role = next(iter(sorted(rule_.roles, key=str)))
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[role])
    before = _data_changes()
    response = request(client, rule_, reverse(name, kwargs=kwargs_for(rule_, world, "own")))
    assert response.status_code == 403, (name, response.status_code)
    assert _data_changes() == before

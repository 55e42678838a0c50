"""Back-checks: the daily seeded draw (share per interviewer, rounding, idempotence, seeding),
who may check, the outcomes and the escalation of a discrepancy to review."""

from datetime import date, timedelta

import pytest

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import BackCheck, BackCheckDraw, Interview, ReviewEvent, Wave
from survey.selectors import back_checks as selectors
from survey.services import back_checks as services
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field

pytestmark = pytest.mark.django_db

DAY = date(2025, 6, 11)  # OPEN_NOW's day in London
EVENING = OPEN_NOW + timedelta(hours=10)  # 21:00 in London, the same day
Outcome = BackCheck.Outcome


def completes(wave: Wave, interviewer, n: int, at=OPEN_NOW) -> list[Interview]:
    """`n` completed interviews by `interviewer` on fresh cases of the wave (their own
    timestamps `at`), answering the test questionnaire: not trading, no crime."""
    cases = list(wave.cases.filter(interview__isnull=True).order_by("pk")[:n])
    assert len(cases) == n, "the wave has too few cases left"
    return [Interview.objects.create(
        case=case, version=wave.questionnaire_version, interviewer=interviewer,
        status=Interview.Status.COMPLETE, answers={"trading": "2", "victim": "2"},
        started_at=at - timedelta(minutes=25), completed_at=at) for case in cases]


@pytest.fixture
def wave(agency):
    return wave_in_field(agency, n_per_stratum=25)  # 50 cases


@pytest.fixture
def team(agency, users):
    return [users[Role.INTERVIEWER], *(make_user(Role.INTERVIEWER, agency=agency)
                                       for _ in range(2))]


def selected_of(wave: Wave, interviewer) -> int:
    return BackCheck.objects.filter(wave=wave, interviewer=interviewer).count()


@pytest.mark.parametrize(("share", "completes_", "expected"), [
    (10, 0, 0), (10, 1, 1), (10, 9, 1), (10, 10, 1), (10, 11, 2), (10, 20, 2), (10, 21, 3),
    (15, 7, 2), (25, 4, 1), (25, 5, 2), (100, 3, 3), (1, 150, 2)])
def test_required_is_the_share_rounded_up(share, completes_, expected):
    assert services.required(share, completes_) == expected


def test_each_interviewer_gets_at_least_the_share_of_their_completes(wave, team):
    for interviewer, n in zip(team, (1, 11, 20), strict=True):
        completes(wave, interviewer, n)
    drawn = services.draw_back_checks(wave, day=DAY, now=EVENING)
    assert drawn.new and len(drawn.selected) == 1 + 2 + 2
    rows = {row.username: row for row in selectors.share_rows(wave=wave)}
    for interviewer, n, selected in zip(team, (1, 11, 20), (1, 2, 2), strict=True):
        row = rows[interviewer.username]
        assert (row.completes, row.considered, row.selected) == (n, n, selected)
        assert row.meets(10)
    assert rows[team[0].username].share == 100.0
    assert rows[team[1].username].share == pytest.approx(100 * 2 / 11)
    assert rows[team[2].username].share == 10.0
    assert all(c.interviewer_id == c.interview.interviewer_id for c in drawn.selected)


def test_the_share_is_a_wave_setting(wave, team, users):
    services.back_check_plan_update(wave=wave, user=users[Role.ANALYST], share_percent=25,
                                    seed=99, key_questions=[])
    completes(wave, team[0], 5)
    services.draw_back_checks(wave, day=DAY, now=EVENING)
    assert selected_of(wave, team[0]) == 2  # 25% of 5 = 1.25, rounded up


def test_a_day_is_drawn_once(wave, team):
    completes(wave, team[0], 10)
    first = services.draw_back_checks(wave, day=DAY, now=OPEN_NOW + timedelta(hours=1))
    completes(wave, team[0], 10, at=OPEN_NOW + timedelta(hours=2))
    again = services.draw_back_checks(wave, day=DAY, now=EVENING)
    assert not again.new and again.selected == [] and again.draw == first.draw
    assert BackCheckDraw.objects.count() == 1 and BackCheck.objects.count() == 1


def test_later_days_top_up_from_the_new_completes(wave, team):
    early = completes(wave, team[0], 5)
    services.draw_back_checks(wave, day=DAY, now=EVENING)
    assert selected_of(wave, team[0]) == 1
    completes(wave, team[0], 5, at=OPEN_NOW + timedelta(days=1))
    second = services.draw_back_checks(wave, day=DAY + timedelta(days=1),
                                       now=EVENING + timedelta(days=1))
    assert second.new and second.selected == []  # 1 of 10 is 10%
    late = completes(wave, team[0], 1, at=OPEN_NOW + timedelta(days=2))
    third = services.draw_back_checks(wave, day=DAY + timedelta(days=2),
                                      now=EVENING + timedelta(days=2))
    assert [c.interview_id for c in third.selected] == [late[0].pk]  # 2 of 11, the new one
    assert selected_of(wave, team[0]) == 2
    assert {c.interview_id for c in BackCheck.objects.filter(draw__day=DAY)} <= {
        i.pk for i in early}


def test_completes_after_the_draw_wait_for_the_next_day(wave, team):
    completes(wave, team[0], 3)
    services.draw_back_checks(wave, day=DAY, now=OPEN_NOW + timedelta(hours=1))
    completes(wave, team[1], 3, at=OPEN_NOW + timedelta(hours=5))
    assert selected_of(wave, team[1]) == 0
    row = {r.username: r for r in selectors.share_rows(wave=wave)}[team[1].username]
    assert (row.completes, row.considered, row.share) == (3, 0, None)
    services.draw_back_checks(wave, day=DAY + timedelta(days=1),
                              now=OPEN_NOW + timedelta(days=1))
    assert selected_of(wave, team[1]) == 1


def test_the_draw_is_seeded_by_the_wave_seed_and_the_day(wave, team):
    completes(wave, team[0], 40)

    def draw_again(seed: int, day: date) -> list[int]:
        BackCheck.objects.all().delete()
        BackCheckDraw.objects.all().delete()
        services.back_check_plan_update(wave=wave, user=None, share_percent=10, seed=seed,
                                        key_questions=[])
        drawn = services.draw_back_checks(wave, day=day, now=EVENING + timedelta(days=9))
        return sorted(c.interview_id for c in drawn.selected)

    first = draw_again(7, DAY)
    assert len(first) == 4
    assert draw_again(7, DAY) == first
    others = {tuple(draw_again(seed, day)) for seed, day in
              ((8, DAY), (7, DAY + timedelta(days=1)), (9, DAY), (10, DAY))}
    assert others - {tuple(first)}, "another seed or day draws other interviews"
    assert services.pick([1, 2, 3, 4, 5], 2, seed=1, day=DAY, interviewer_id=3) == \
        services.pick([1, 2, 3, 4, 5], 2, seed=1, day=DAY, interviewer_id=3)


def test_the_default_seed_is_the_samples(wave):
    assert selectors.plan_for(wave).seed == wave.sample.design.seed
    assert selectors.plan_for(wave).share_percent == 10


def test_a_day_not_yet_come_or_already_passed_is_refused(wave, team, agency):
    with pytest.raises(FieldworkError) as future:
        services.draw_back_checks(wave, day=DAY + timedelta(days=1), now=EVENING)
    assert future.value.code == "back_check_day_future"
    services.draw_back_checks(wave, day=DAY, now=EVENING)
    with pytest.raises(FieldworkConflict) as passed:
        services.draw_back_checks(wave, day=DAY - timedelta(days=1), now=EVENING)
    assert passed.value.code == "back_check_day_passed"
    setup = wave_in_field(agency, name="Not yet", open_field=False)
    with pytest.raises(FieldworkConflict):
        services.draw_back_checks(setup, day=DAY, now=EVENING)


def test_plan_settings_are_checked_all_at_once(wave):
    with pytest.raises(FieldworkError) as error:
        services.back_check_plan_update(wave=wave, user=None, share_percent=0, seed=-1,
                                        key_questions=["staff", "nonsense"])
    fields = {p["field"] for p in error.value.fields["problems"]}
    assert fields == {"back_check_share", "back_check_seed", "back_check_questions"}
    with pytest.raises(FieldworkError):
        services.back_check_plan_update(wave=wave, user=None, share_percent=10, seed=1,
                                        key_questions=["trading", "staff", "victim", "staff"])


# --- checking -------------------------------------------------------------------------------

@pytest.fixture
def drawn(wave, team):
    """One back-check of team[0]'s interview."""
    completes(wave, team[0], 1)
    return services.draw_back_checks(wave, day=DAY, now=EVENING).selected[0]


SCRIPT = {"happened": "yes", "respondent_role": "manager", "minutes": "20",
          "answers": {"trading": "2", "victim": "2"}}


def test_the_original_interviewer_may_not_check(drawn, team):
    for action in (services.back_check_take, _record):
        with pytest.raises(services.BackCheckNotAllowed) as refused:
            action(back_check=drawn, user=team[0], now=EVENING)
        assert refused.value.http_status == 403 and refused.value.code == "own_interview"


def test_nor_anyone_who_recorded_its_answers(drawn, team):
    from survey.models import AnswerEvent
    AnswerEvent.objects.create(event_id="00000000-0000-0000-0000-000000000001",
                               interview=drawn.interview, path="victim", kind="answer",
                               value="2", user=team[1], recorded_at=OPEN_NOW)
    with pytest.raises(services.BackCheckNotAllowed):
        services.back_check_take(back_check=drawn, user=team[1], now=EVENING)
    services.back_check_take(back_check=drawn, user=team[2], now=EVENING)


def test_analysts_and_other_agencies_do_not_check(drawn, users, other_agency):
    for user in (users[Role.ANALYST], users[Role.ADMIN],
                 make_user(Role.SUPERVISOR, agency=other_agency)):
        with pytest.raises(services.BackCheckNotAllowed):
            services.back_check_take(back_check=drawn, user=user, now=EVENING)


def _record(*, back_check, user, now, outcome=Outcome.CONFIRMED, note="", script=None):
    return services.back_check_record(back_check=back_check, user=user, now=now,
                                      outcome=outcome, note=note, script=script or SCRIPT)


def test_a_taken_check_is_the_checkers(drawn, team, users):
    services.back_check_take(back_check=drawn, user=team[1], now=EVENING)
    services.back_check_take(back_check=drawn, user=team[1], now=EVENING)  # again: fine
    with pytest.raises(FieldworkConflict) as taken:
        services.back_check_take(back_check=drawn, user=users[Role.SUPERVISOR], now=EVENING)
    assert taken.value.code == "back_check_taken"
    with pytest.raises(FieldworkConflict):
        _record(back_check=drawn, user=users[Role.SUPERVISOR], now=EVENING)


def test_confirmed(drawn, team):
    done = _record(back_check=drawn, user=team[1], now=EVENING)
    assert (done.outcome, done.checker, done.checked_at, done.escalated) == (
        Outcome.CONFIRMED, team[1], EVENING, False)
    assert done.script == {"happened": "yes", "respondent_role": "manager", "minutes": 20,
                           "answers": {"trading": "2", "victim": "2"}}
    assert selectors.agreement(done, selectors.script_for(done)) == {"trading": True,
                                                                      "victim": True}
    assert AuditEvent.objects.filter(object_type="survey.BackCheck",
                                     detail__back_check="record").exists()
    with pytest.raises(FieldworkConflict) as again:
        _record(back_check=drawn, user=team[1], now=EVENING)
    assert again.value.code == "back_check_done"


def test_a_discrepancy_goes_back_to_review(drawn, users):
    interview = drawn.interview
    done = _record(back_check=drawn, user=users[Role.SUPERVISOR], now=EVENING,
                   outcome=Outcome.DISCREPANCY, note="Says nobody called in June.",
                   script={**SCRIPT, "happened": "no"})
    assert done.escalated
    interview.refresh_from_db()
    assert interview.review_status == Interview.Review.COMPLETED
    event = ReviewEvent.objects.get(interview=interview)
    assert "Says nobody called in June." in event.comment


def test_could_not_verify_needs_a_note_and_does_not_escalate(drawn, team):
    with pytest.raises(FieldworkError) as missing:
        _record(back_check=drawn, user=team[1], now=EVENING, outcome=Outcome.COULD_NOT_VERIFY)
    assert missing.value.code == "note_required"
    done = _record(back_check=drawn, user=team[1], now=EVENING,
                   outcome=Outcome.COULD_NOT_VERIFY, note="No answer three times.")
    assert not done.escalated and not ReviewEvent.objects.exists()


@pytest.mark.parametrize(("script", "field"), [
    ({**SCRIPT, "happened": "maybe"}, "happened"),
    ({**SCRIPT, "respondent_role": ""}, "respondent_role"),
    ({**SCRIPT, "minutes": "601"}, "minutes"),
    ({**SCRIPT, "minutes": "twenty"}, "minutes"),
    ({**SCRIPT, "answers": {"staff": "3"}}, "answers"),
    ({**SCRIPT, "answers": {"trading": "x" * 201}}, "answers.trading"),
])
def test_the_script_is_checked(drawn, team, script, field):
    with pytest.raises(FieldworkError) as error:
        _record(back_check=drawn, user=team[1], now=EVENING, script=script)
    assert error.value.fields["field"] == field
    assert error.value.code == "back_check_script"
    with pytest.raises(FieldworkError):
        _record(back_check=drawn, user=team[1], now=EVENING, outcome="fine")
    with pytest.raises(FieldworkError):
        _record(back_check=drawn, user=team[1], now=EVENING, note="n" * 1501)


def test_the_script_re_asks_the_first_closed_answers_or_the_waves_choice(drawn, users):
    script = selectors.script_for(drawn)
    assert [q.name for q in script.key_questions] == ["trading", "victim"]
    trading = script.key_questions[0]
    assert trading.type == "select_one" and ("2", "No") in trading.choices
    assert trading.recorded == "No"
    assert script.recorded_minutes == 25
    services.back_check_plan_update(wave=drawn.wave, user=None, share_percent=10, seed=1,
                                    key_questions=["victim"])
    assert [q.name for q in selectors.script_for(drawn).key_questions] == ["victim"]


def test_contact_details_only_on_need_to_know(drawn, team, users):
    phone = drawn.interview.case.sampled_business.business.phone
    assert selectors.contacts(users[Role.SUPERVISOR], drawn)["phone"] == phone
    for user in (team[1], users[Role.ANALYST], users[Role.ADMIN]):
        assert selectors.contacts(user, drawn) is None
    services.back_check_take(back_check=drawn, user=team[1], now=EVENING)
    drawn.refresh_from_db()
    assert selectors.contacts(team[1], drawn)["phone"] == phone
    assert selectors.contacts(team[2], drawn) is None
    _record(back_check=drawn, user=team[1], now=EVENING)
    drawn.refresh_from_db()
    assert selectors.contacts(team[1], drawn) is None  # done: no more need


def test_to_do_lists_what_the_user_may_take(drawn, team, users):
    assert selectors.to_do(user=team[0]) == []  # their own interview
    assert selectors.to_do(user=team[1]) == [drawn]
    assert selectors.to_do(user=users[Role.ANALYST]) == []
    services.back_check_take(back_check=drawn, user=team[1], now=EVENING)
    assert selectors.to_do(user=team[2]) == []
    assert selectors.to_do(user=team[1]) == [drawn]


def test_the_to_do_page_says_when_more_wait_than_it_lists(drawn, team, monkeypatch):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(team[1])
    assert selectors.to_do_beyond_list(user=team[1]) is False
    assert "more-to-do" not in client.get(reverse("back-check-to-do")).text
    monkeypatch.setattr(selectors, "MAX_LISTED", 0)
    assert selectors.to_do_beyond_list(user=team[1]) is True
    page = client.get(reverse("back-check-to-do")).text
    assert "More back-checks wait than the first 0 listed here" in page

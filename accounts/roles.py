"""The four roles of the system. Each is a Django group created by a data migration."""

from enum import StrEnum


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


FIELDWORK_ROLES = frozenset({Role.INTERVIEWER, Role.SUPERVISOR})
MOPAC_ROLES = frozenset({Role.ANALYST, Role.ADMIN})

# Who does what: the one place each page, API endpoint and service takes its role set from.
ANALYSTS = (Role.ANALYST, Role.ADMIN)  # questionnaires, sampling, waves, weighting, publishing
INTERVIEWERS = (Role.INTERVIEWER,)  # work the case queue and interview
SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)  # act on fieldwork: cases, team, open/close
FIELDWORK_VIEWERS = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)  # watch progress and rates
RELEASERS = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)  # release replicates
QUESTIONNAIRE_READERS = (Role.ANALYST, Role.ADMIN, Role.SUPERVISOR)
WAVE_OPENERS = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)  # open and close a wave
REVIEWERS = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)  # review completed interviews
BACK_CHECKERS = (Role.SUPERVISOR, Role.INTERVIEWER)  # call a business back (never their own)
BACK_CHECK_DRAWERS = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)  # draw the day's back-checks
BACK_CHECK_READERS = tuple(Role)  # see back-checks (scoped by agency; not one's own interview)

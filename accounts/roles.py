"""The four roles of the system. Each is a Django group created by a data migration."""

from enum import StrEnum


class Role(StrEnum):
    INTERVIEWER = "interviewer"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


FIELDWORK_ROLES = frozenset({Role.INTERVIEWER, Role.SUPERVISOR})
MOPAC_ROLES = frozenset({Role.ANALYST, Role.ADMIN})

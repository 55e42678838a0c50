"""Accounts' errors, each with a machine code and the HTTP status a request answers with."""

from bas.errors import BasError, NotFoundError


class AccountsError(BasError):
    """A change to users or agencies that cannot be made as asked (400)."""

    http_status = 400


class TeamMemberNotFound(NotFoundError):
    """The user does not exist or is not in the caller's agency (404, as if it did not)."""

    default_code = "team_member_not_found"


class NotManagedBySupervisor(AccountsError):
    """Supervisors manage their agency's interviewers only; other accounts are MOPAC's (403)."""

    http_status = 403
    default_code = "not_an_interviewer"

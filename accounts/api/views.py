from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles, selectors, services
from accounts.api.serializers import (
    AgencyOutput,
    InterviewerInput,
    MeOutput,
    PasswordInput,
    TeamMemberOutput,
)
from accounts.errors import TeamMemberNotFound
from accounts.permissions import HasRole, user_roles


class MeApi(APIView):
    """Who the caller is: their agency and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOutput)
    def get(self, request):
        user = request.user
        data = {
            "username": user.username,
            "full_name": user.get_full_name(),
            "agency": user.agency.name,
            "roles": sorted(role.value for role in user_roles(user)),
        }
        return Response(MeOutput(data).data)


class AgencyListApi(APIView):
    """The agencies, for MOPAC's analysts and admins."""

    permission_classes = [HasRole.of(*roles.ANALYSTS)]

    @extend_schema(responses=AgencyOutput(many=True))
    def get(self, request):
        agencies = selectors.agency_list(user=request.user)
        return Response(AgencyOutput(agencies, many=True).data)


MANAGERS = [HasRole.of(*roles.SUPERVISORS)]


def _member(request, pk: int):
    member = selectors.team_member_get(user=request.user, member_id=pk)
    if member is None:
        raise TeamMemberNotFound(f"user {pk} not found", fields={"user": pk})
    return member


class TeamApi(APIView):
    """The users of the caller's agency (every agency for admins); POST adds an interviewer
    to the caller's agency."""

    permission_classes = MANAGERS

    @extend_schema(responses=TeamMemberOutput(many=True))
    def get(self, request):
        members = selectors.team_list(user=request.user, include_inactive=True)
        return Response(TeamMemberOutput(members, many=True).data)

    @extend_schema(request=InterviewerInput, responses={201: TeamMemberOutput})
    def post(self, request):
        serializer = InterviewerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        agency_id = data.pop("agency")
        agency = (selectors.agency_fieldwork_choices().filter(pk=agency_id).first()
                  if agency_id is not None else None)
        user = services.team_interviewer_add(by=request.user, agency=agency, **data)
        return Response(TeamMemberOutput(user).data, status=201)


class _TeamSetActiveApi(APIView):
    permission_classes = MANAGERS
    active: bool

    @extend_schema(request=None, responses=TeamMemberOutput)
    def post(self, request, pk: int):
        user = services.team_interviewer_set_active(by=request.user,
                                                    user_id=_member(request, pk).pk,
                                                    active=self.active)
        return Response(TeamMemberOutput(user).data)


class TeamDeactivateApi(_TeamSetActiveApi):
    """Deactivate an interviewer of the caller's agency: no more logins; their cases go back
    to the queue; their work is kept."""

    active = False


class TeamActivateApi(_TeamSetActiveApi):
    """Let a deactivated interviewer of the caller's agency log in again."""

    active = True


class TeamPasswordApi(APIView):
    """Give an interviewer of the caller's agency a new password."""

    permission_classes = MANAGERS

    @extend_schema(request=PasswordInput, responses=TeamMemberOutput)
    def post(self, request, pk: int):
        member = _member(request, pk)
        serializer = PasswordInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.team_interviewer_password_reset(
            by=request.user, user_id=member.pk, password=serializer.validated_data["password"])
        return Response(TeamMemberOutput(user).data)

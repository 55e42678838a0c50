from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors
from accounts.api.serializers import AgencyOutput, MeOutput
from accounts.permissions import HasRole, user_roles
from accounts.roles import Role


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

    permission_classes = [HasRole.of(Role.ANALYST, Role.ADMIN)]

    @extend_schema(responses=AgencyOutput(many=True))
    def get(self, request):
        agencies = selectors.agency_list(user=request.user)
        return Response(AgencyOutput(agencies, many=True).data)

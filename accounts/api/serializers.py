from rest_framework import serializers

from accounts.models import Agency


class AgencyOutput(serializers.ModelSerializer):
    user_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "code", "is_commissioner", "user_count"]


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    agency = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class TeamMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    roles = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()

    def get_roles(self, user) -> list[str]:
        return sorted(group.name for group in user.groups.all())


class InterviewerInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, help_text="For the first login")
    first_name = serializers.CharField(required=False, allow_blank=True, default="")
    last_name = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="Admins only: the agency (supervisors add "
                                                "to their own)")


class PasswordInput(serializers.Serializer):
    password = serializers.CharField(write_only=True)

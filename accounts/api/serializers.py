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

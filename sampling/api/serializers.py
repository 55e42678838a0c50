from rest_framework import serializers

from sampling.models import Frame, Sample, SampleDesign


class FrameOutput(serializers.ModelSerializer):
    class Meta:
        model = Frame
        fields = ["id", "name", "source_filename", "size", "summary", "created_at"]


class FrameUploadInput(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(required=False, allow_blank=True, default="")


class DesignInput(serializers.ModelSerializer):
    class Meta:
        model = SampleDesign
        fields = ["name", "n", "allocation", "min_per_borough", "anticipated_proportion",
                  "large_business_factor", "min_stratum_size", "strata_dimensions", "seed",
                  "replicates", "exclude_recent_waves"]


class SampleOutput(serializers.ModelSerializer):
    design = DesignInput()
    frame = serializers.IntegerField(source="design.frame_id")
    selected = serializers.IntegerField(source="businesses.count")

    class Meta:
        model = Sample
        fields = ["id", "frame", "design", "selected", "released_replicates",
                  "allocation_table", "merges", "drawn_at"]


class ReleaseInput(serializers.Serializer):
    replicates = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                       allow_empty=False)

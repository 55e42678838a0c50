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


class SamplePreviewRowOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    businesses = serializers.IntegerField(help_text="Businesses in the frame")
    sampled = serializers.IntegerField()
    sampled_per_1000 = serializers.FloatField()
    share_of_sample = serializers.FloatField()


class _TableField(serializers.ListField):
    child = SamplePreviewRowOutput()

    def to_representation(self, table):
        return super().to_representation(table.to_dict(orient="records"))


class SamplePreviewOutput(serializers.Serializer):
    n = serializers.IntegerField(help_text="Businesses the design would draw")
    strata = serializers.IntegerField()
    by_borough = _TableField()
    by_sector = _TableField()
    by_size_band = _TableField()

"""Output shapes of the public API (documented in the OpenAPI schema)."""

from rest_framework import serializers


class PublicWaveOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    fieldwork_start = serializers.DateField(allow_null=True)
    fieldwork_end = serializers.DateField(allow_null=True)
    achieved_n = serializers.IntegerField(help_text="Completed interviews")
    response_rate_rr3 = serializers.FloatField(allow_null=True, help_text="AAPOR RR3")
    published_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["published", "withdrawn"])
    release_date = serializers.DateField(allow_null=True, help_text="Publication date")
    methodology = serializers.CharField(required=False, allow_blank=True,
                                        help_text="Methodology note")
    borough_estimates = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="How the borough figures were made (small-area method, auxiliaries, "
                  "smoothing, benchmarking, the publication rule) and how disclosure control "
                  "applies to them; empty when the borough figures are all direct")
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField(allow_blank=True, help_text="Why the "
                                              "publication was withdrawn")
    downloads = serializers.SerializerMethodField(
        help_text="Workbook, open-data CSV and its metadata JSON (none once withdrawn)")

    def get_downloads(self, wave) -> dict[str, str]:
        from django.urls import reverse

        request = self.context.get("request")
        links = {}
        for name in wave.get("files", []):
            url = reverse("results-download", args=[wave["publication"], name])
            links[name] = request.build_absolute_uri(url) if request else url
        return links


class PublicMeasureOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    description = serializers.CharField()
    headline = serializers.BooleanField()


class PublicDomainOutput(serializers.Serializer):
    code = serializers.CharField(allow_blank=True)
    label = serializers.CharField()


class PublicBreakdownOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    domains = PublicDomainOutput(many=True)


class PublicEstimateOutput(serializers.Serializer):
    wave = serializers.IntegerField()
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    breakdown = serializers.CharField()
    domain = serializers.CharField(allow_blank=True)
    domain_label = serializers.CharField()
    estimate = serializers.FloatField(allow_null=True, help_text="Proportion 0-1; null if "
                                      "suppressed")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    unweighted_base = serializers.IntegerField(allow_null=True, help_text="Null if "
                                               "suppressed, and for a model-based figure "
                                               "whose direct estimate is withheld")
    suppressed = serializers.BooleanField()
    source = serializers.ChoiceField(
        choices=["direct", "model-based", "pooled", ""],
        help_text="Which estimate is published: direct (the wave's survey estimate), pooled "
                  "(several waves' survey estimate), model-based (Fay-Herriot small-area "
                  "estimate; interval EBLUP +/- z root MSE clipped to [0, 1]); empty if "
                  "suppressed")
    note = serializers.CharField(allow_blank=True, help_text="Why this borough figure is the "
                                 "one published; empty for the other breakdowns")


class PublicEstimateQuery(serializers.Serializer):
    wave = serializers.IntegerField(required=False, help_text="A published wave's id")
    measure = serializers.CharField(required=False)
    breakdown = serializers.ChoiceField(choices=["all", "borough", "sector_group"],
                                        required=False)


class PublicChangeOutput(serializers.Serializer):
    wave = serializers.IntegerField()
    previous_wave = serializers.IntegerField(help_text="The published wave compared with")
    measure = serializers.CharField()
    measure_label = serializers.CharField()
    breakdown = serializers.CharField()
    domain = serializers.CharField(allow_blank=True)
    domain_label = serializers.CharField()
    previous_estimate = serializers.FloatField(allow_null=True)
    estimate = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="Estimate minus the previous "
                                    "wave's (proportions); null if either is suppressed")
    change_ci_low = serializers.FloatField(allow_null=True)
    change_ci_high = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(allow_null=True, help_text="Two-sided z test of no change")
    significant = serializers.BooleanField(allow_null=True, help_text="At the 5% level")
    suppressed = serializers.BooleanField()

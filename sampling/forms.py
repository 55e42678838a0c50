from django import forms

from sampling.models import SampleDesign


class FrameUploadForm(forms.Form):
    file = forms.FileField(help_text="CSV or .xlsx with reference, name, address, postcode, "
                           "phone, borough, sic2007, employees.")
    name = forms.CharField(required=False)


class SyntheticFrameForm(forms.Form):
    size = forms.IntegerField(min_value=100, max_value=1_000_000, initial=50_000)
    seed = forms.IntegerField(initial=1)


class SampleDesignForm(forms.ModelForm):
    class Meta:
        model = SampleDesign
        fields = ["name", "n", "allocation", "min_per_borough", "anticipated_proportion",
                  "large_business_factor", "min_stratum_size", "seed", "replicates",
                  "exclude_recent_waves"]


class ReleaseForm(forms.Form):
    replicates = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, available: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replicates"].choices = [(r, f"Replicate {r}") for r in available]

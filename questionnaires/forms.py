from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented way); none is allowed."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,text/csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    workbook = forms.FileField(help_text="An XLSForm-style .xlsx with survey, choices, settings.")
    files = MultipleFileField(
        required=False, label="CSV files",
        help_text="The .csv files the workbook reads (select_one_from_file, "
                  "select_multiple_from_file, pulldata); several at once.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SimulationForm(forms.Form):
    """Options of simulated interviews on the analyst's questionnaire page."""

    interviews = forms.IntegerField(min_value=1, max_value=500, initial=200)
    seed = forms.IntegerField(min_value=0, max_value=2**31, initial=1)
    dont_know_rate = forms.FloatField(min_value=0, max_value=1, initial=0.05,
                                      label="Don't know rate")
    refused_rate = forms.FloatField(min_value=0, max_value=1, initial=0.02)
    seconds_per_question = forms.FloatField(min_value=1, max_value=600, initial=20)

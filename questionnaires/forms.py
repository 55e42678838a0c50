from django import forms


class UploadForm(forms.Form):
    workbook = forms.FileField(help_text="An XLSForm-style .xlsx with survey, choices, settings.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SimulationForm(forms.Form):
    """Options of simulated interviews on the analyst's questionnaire page."""

    interviews = forms.IntegerField(min_value=1, max_value=500, initial=200)
    seed = forms.IntegerField(min_value=0, max_value=2**31, initial=1)
    dont_know_rate = forms.FloatField(min_value=0, max_value=1, initial=0.05,
                                      label="Don't know rate")
    refused_rate = forms.FloatField(min_value=0, max_value=1, initial=0.02)
    seconds_per_question = forms.FloatField(min_value=1, max_value=600, initial=20)

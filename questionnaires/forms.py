from django import forms


class UploadForm(forms.Form):
    workbook = forms.FileField(help_text="An XLSForm-style .xlsx with survey, choices, settings.")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from accounts import roles
from accounts.permissions import role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from questionnaires import selectors, services
from questionnaires.forms import SimulationForm, UploadForm
from questionnaires.models import QuestionnaireVersion

READERS = roles.QUESTIONNAIRE_READERS
AUTHORS = roles.ANALYSTS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODEBOOK_FORMATS = ("json", "xlsx")


@role_required(*READERS)
def questionnaire_list(request):
    return render(request, "questionnaires/list.html",
                  {"questionnaires": selectors.questionnaire_list()})


@role_required(*AUTHORS)
def questionnaire_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    rerender_on_error(request, lambda error: _upload_with_problems(request, form, error))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["workbook"]
        version = services.questionnaire_version_upload(
            workbook=upload.read(), filename=upload.name, user=request.user,
            notes=form.cleaned_data["notes"],
            files=[(f.name, f.read()) for f in form.cleaned_data["files"]],
        )
        messages.success(request, f"Stored {version}.")
        return redirect("questionnaire-version", pk=version.pk)
    return render(request, "questionnaires/upload.html", {"form": form, "problems": []})


def _upload_with_problems(request, form, error: BasError) -> HttpResponse:
    """The upload page again, listing every problem of a workbook that was not stored."""
    messages.error(request, error.message)
    return render(request, "questionnaires/upload.html",
                  {"form": form, "problems": error.fields.get("problems", [])},
                  status=error.http_status)


@role_required(*READERS)
def version_detail(request, pk: int):
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"),
                                pk=pk)
    others = version.questionnaire.versions.exclude(pk=pk)
    return render(request, "questionnaires/version.html", {
        "version": version,
        "codebook": selectors.version_codebook(version),
        "others": others,
    })


@role_required(*READERS)
def version_codebook_download(request, pk: int, fmt: str):
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    if fmt not in CODEBOOK_FORMATS:  # the URL allows only these; nothing else reaches a header
        raise Http404("no such codebook format")
    stem = f"{version.questionnaire.form_id}-v{version.number}-codebook"
    if fmt == "json":
        response = JsonResponse(selectors.version_codebook(version))
    else:
        response = HttpResponse(selectors.version_codebook_xlsx(version), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{fmt}")
    return response


@role_required(*READERS)
def version_workbook_download(request, pk: int):
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    response = HttpResponse(bytes(version.workbook), content_type=XLSX)
    # the file name as uploaded: quoted and encoded by Django, never pasted into the header
    response["Content-Disposition"] = content_disposition_header(True, version.filename)
    return response


@role_required(*READERS)
def version_diff(request, pk: int, other: int):
    old = get_object_or_404(QuestionnaireVersion, pk=other)
    new = get_object_or_404(QuestionnaireVersion, pk=pk)
    return render(request, "questionnaires/diff.html",
                  {"old": old, "new": new, "diff": selectors.version_diff(old, new)})


@role_required(*AUTHORS)
def version_simulation(request, pk: int):
    """Simulated interviews through a version (GET options), or their respondent table."""
    version = get_object_or_404(QuestionnaireVersion.objects.select_related("questionnaire"),
                                pk=pk)
    form = SimulationForm(request.GET or None,
                          initial={f: form_field.initial
                                   for f, form_field in SimulationForm.base_fields.items()})
    report = summary = None
    if form.is_valid():
        options = dict(form.cleaned_data)
        seconds = options.pop("seconds_per_question")
        report = selectors.version_simulation(version, **options)
        if request.GET.get("format") == "csv":
            response = HttpResponse(selectors.version_simulated_table_csv(version, report),
                                    content_type="text/csv")
            stem = f"{version.questionnaire.form_id}-v{version.number}-simulated"
            response["Content-Disposition"] = content_disposition_header(True, f"{stem}.csv")
            return response
        summary = report.length_summary(seconds)
    return render(request, "questionnaires/simulation.html",
                  {"version": version, "form": form, "report": report, "summary": summary})

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import role_required
from bas.errors import BasError
from bas.web_errors import rerender_on_error
from sampling import core, selectors, services
from sampling.downloads import formula_safe
from sampling.forms import FrameUploadForm, ReleaseForm, SampleDesignForm, SyntheticFrameForm
from sampling.models import Frame, Sample
from sampling.upload import saved_upload

ANALYSTS = roles.ANALYSTS


@role_required(*ANALYSTS)
def sampling_home(request):
    upload = FrameUploadForm(request.POST or None, request.FILES or None, prefix="upload")
    synthetic = SyntheticFrameForm(request.POST or None, prefix="synthetic")
    page = {"frames": selectors.frame_list(), "samples": selectors.sample_list(),
            "upload": upload, "synthetic": synthetic, "issues": []}
    rerender_on_error(request, lambda error: _home_with_error(request, page, error))
    if request.method == "POST" and "upload-file" in request.FILES and upload.is_valid():
        with saved_upload(upload.cleaned_data["file"]) as path:
            frame = services.frame_import(path=path, name=upload.cleaned_data["name"],
                                          user=request.user)
        messages.success(request, f"Imported {frame}.")
        return redirect("frame-detail", pk=frame.pk)
    elif request.method == "POST" and "synthetic-size" in request.POST and synthetic.is_valid():
        frame = services.frame_create_synthetic(**synthetic.cleaned_data, user=request.user)
        messages.success(request, f"Created {frame}.")
        return redirect("frame-detail", pk=frame.pk)
    return render(request, "sampling/home.html", page)


def _home_with_error(request, page: dict, error: BasError) -> HttpResponse:
    """The sampling page again, with every problem of a frame that was not imported."""
    if isinstance(error, core.FrameError):
        page = {**page, "issues": [issue.as_dict() for issue in error.issues]}
        messages.error(request, f"{len(error.issues)} problem(s); nothing was imported.")
    else:
        messages.error(request, error.message)
    return render(request, "sampling/home.html", page, status=error.http_status)


@role_required(*ANALYSTS)
def frame_detail(request, pk: int):
    frame = get_object_or_404(Frame, pk=pk)
    form = SampleDesignForm(request.POST or None)
    rerender_on_error(request, lambda error: _form_with_error(
        request, "sampling/frame.html", {"frame": frame, "form": form}, error))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = selectors.sample_preview(frame=frame, **form.cleaned_data)
        else:
            design = services.sample_design_create(frame=frame, user=request.user,
                                                   **form.cleaned_data)
            sample = services.sample_draw(design=design, user=request.user)
            messages.success(request, f"Drew and stored {sample.businesses.count()} businesses.")
            return redirect("sample-detail", pk=sample.pk)
    return render(request, "sampling/frame.html",
                  {"frame": frame, "form": form, "preview": preview and _preview_tables(preview)})


def _preview_tables(preview: core.AllocationPreview) -> dict:
    def rows(table):
        return [{**row, "share_percent": 100 * row["share_of_sample"]}
                for row in table.to_dict(orient="records")]

    return {"n": preview.n, "strata": preview.strata, "tables": [
        ("Borough", rows(preview.by_borough)), ("Sector", rows(preview.by_sector)),
        ("Size band", rows(preview.by_size_band))]}


def _form_with_error(request, template: str, context: dict, error: BasError) -> HttpResponse:
    context["form"].add_error(None, error.message)
    return render(request, template, context, status=error.http_status)


@role_required(*ANALYSTS)
def sample_detail(request, pk: int):
    sample = get_object_or_404(Sample.objects.select_related("design__frame"), pk=pk)
    available = sorted(set(sample.businesses.values_list("replicate", flat=True)))
    return render(request, "sampling/sample.html", {
        "sample": sample, "available": available,
        "unreleased": [r for r in available if r not in sample.released_replicates],
        "released_count": sample.businesses.filter(released=True).count(),
    })


@require_POST
@role_required(*ANALYSTS)
def sample_release(request, pk: int):
    sample = get_object_or_404(Sample, pk=pk)
    available = sorted(set(sample.businesses.values_list("replicate", flat=True)))
    form = ReleaseForm(request.POST, available=available)
    if form.is_valid():
        missing = services.replicates_release(sample=sample,
                                              replicates=form.cleaned_data["replicates"],
                                              user=request.user)
        messages.success(request, f"Released replicates {sample.released_replicates}.")
        if missing:
            messages.warning(request, f"{len(missing)} strata have no released business yet.")
    else:
        messages.error(request, "Choose at least one replicate to release.")
    return redirect("sample-detail", pk=pk)


@role_required(*ANALYSTS)
def sample_download(request, pk: int):
    sample = get_object_or_404(Sample, pk=pk)
    released = request.GET.get("released") == "1"
    table = selectors.sample_table(sample, released_only=released)
    response = HttpResponse(formula_safe(table.drop(columns="released")).to_csv(index=False),
                            content_type="text/csv")
    suffix = "-released" if released else ""
    response["Content-Disposition"] = f'attachment; filename="sample-{pk}{suffix}.csv"'
    return response

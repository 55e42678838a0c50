"""The public results dashboard: no login; only published waves' disclosure-controlled
figures, which carry no business's name, address, phone or reference."""

import datetime as dt

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from . import selectors
from .geography import tiles
from .measures import HEADLINE, MEASURES, SECTOR_GROUPS

DOWNLOAD_LABELS = {"bas_results.xlsx": "Results workbook (XLSX)",
                   "bas_results.csv": "Open data (CSV)",
                   "bas_results_metadata.json": "Open data metadata (JSON)"}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@cache_control(public=True, max_age=selectors.CACHE_SECONDS)
def dashboard(request):
    results = selectors.public_results()
    published = {r["measure"] for r in results["rows"]}
    data = {
        "waves": results["waves"], "rows": results["rows"],
        "changes": [c for c in results["changes"] if c["breakdown"] == "all"],
        "measures": [{"name": m.name, "label": m.label, "headline": m.headline}
                     for m in MEASURES if m.name in published],
        "headline": [name for name in HEADLINE if name in published],
        "sectors": SECTOR_GROUPS, "tiles": tiles(),
    }
    latest = results["waves"][-1] if results["waves"] else {}
    return render(request, "exports/dashboard.html", {
        "data": data, "waves": results["waves"], "withdrawn": results["withdrawn"],
        "threshold": latest.get("threshold"),
        "publications": [{**wave, "released": _date(wave.get("release_date")),
                          "fieldwork": (_date(wave.get("fieldwork_start")),
                                        _date(wave.get("fieldwork_end"))),
                          "downloads": [
            (DOWNLOAD_LABELS[name], reverse("results-download",
                                            args=[wave["publication"], name]))
            for name in DOWNLOAD_LABELS if name in wave["files"]]}
            for wave in reversed(results["waves"])]})

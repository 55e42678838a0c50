"""The public results dashboard: no login; only published waves' disclosure-controlled
figures, which carry no business's name, address, phone or reference."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control

from . import selectors
from .geography import tiles
from .measures import HEADLINE, MEASURES, SECTOR_GROUPS


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
    return render(request, "exports/dashboard.html", {"data": data,
                                                      "waves": results["waves"]})

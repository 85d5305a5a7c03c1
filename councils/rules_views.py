"""The "Our rules" page and the eligibility checker, under ``/<council_slug>/``.

Thin views: ``council_view`` checks sign-in, membership and role; the selectors and the
presenter build what the templates show.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from councils.permissions import council_view
from councils.rules.presenters import present_pack
from councils.rules.selectors import pack_of_version, pack_version_in_force
from progression.eligibility import eligibility_report, eligibility_workers
from progression.eligibility_forms import EligibilityCheckForm
from progression.permissions import ELIGIBILITY_CHECKER_ROLES


@council_view()
@require_GET
def council_rules(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The council's rule pack in force today, as readable policy (any member)."""
    today = timezone.localdate()
    version = pack_version_in_force(council=request.council, on=today)
    view = present_pack(pack_of_version(version)) if version is not None else None
    return render(request, "councils/rules/rules.html", {
        "pack": view, "version": version, "today": today,
    })


@council_view(*sorted(ELIGIBILITY_CHECKER_ROLES))
@require_GET
def eligibility_checker(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Pick a worker and a date; see each route's answer with reasons and dates."""
    workers = eligibility_workers(request.membership)
    today = timezone.localdate()
    asked = "worker" in request.GET or "check" in request.GET
    form = EligibilityCheckForm(request.GET if asked else None, workers=workers)
    if not asked:
        form.initial = {"on": today}
    report = None
    if asked and form.is_valid():
        report = eligibility_report(council=request.council, worker=form.cleaned_data["worker"],
                                    on=form.cleaned_data["on"])
    return render(request, "progression/eligibility_checker.html", {
        "form": form, "report": report, "workers": workers, "today": today,
    })

"""Open the council scope for a request whose URL starts with a council slug.

The council comes from the URL (``/<council_slug>/...``). A signed-in person who is not an
active member of that council gets 404, exactly as for a council that does not exist, so a
stranger learns nothing. Inside the view every scoped query is limited to that council;
outside a council URL, scoped queries raise (django-scopes).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope

from councils.models import Council, Membership


class CouncilScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.council = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("council_slug")
        if slug is None:
            return self.get_response(request)
        council = Council.objects.filter(slug=slug, is_active=True).first()
        if council is None:
            raise Http404("No such council.")
        with scope(council=council):
            if request.user.is_authenticated:
                request.membership = (
                    Membership.objects.filter(council=council, user=request.user, is_active=True)
                    .select_related("user", "team", "line_manager__user")
                    .prefetch_related("roles")
                    .first()
                )
            request.council = council
            return self.get_response(request)

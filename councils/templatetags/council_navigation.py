"""``{% council_navigation as items %}``: the service navigation links for the current page."""

from __future__ import annotations

from django import template

from councils.selectors import NavItem, memberships_of_user, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def council_navigation(context: template.Context) -> list[NavItem]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    # One cheap query per page for the switcher; cached on the request for repeated use.
    if not hasattr(request, "_several_councils"):
        request._several_councils = len(memberships_of_user(request.user)) > 1
    return navigation_for(
        getattr(request, "membership", None),
        current_url_name=match.url_name if match else None,
        several_councils=request._several_councils,
    )

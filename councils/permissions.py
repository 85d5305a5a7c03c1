"""Role checks for council views.

Cross-council access answers 404 (the middleware resolves the membership; none means 404,
the same as a council that does not exist). Inside one's own council, a missing role answers
403. Object-level checks are ``can_<verb>_<entity>(actor_membership, obj)`` predicates in each
app's ``permissions.py``; views call them through the ``access_<entity>`` selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from councils.models import Membership


def roles_of(membership: Membership | None) -> frozenset[str]:
    """The role slugs a membership holds (uses the prefetched ``roles``)."""
    if membership is None:
        return frozenset()
    return frozenset(assignment.role for assignment in membership.roles.all())


def has_any_role(membership: Membership | None, roles: Iterable[str]) -> bool:
    return bool(roles_of(membership) & set(roles))


def council_view(*roles: str) -> Callable:
    """Decorate a view under ``/<council_slug>/``: sign-in required, membership of that
    council required (else 404), and, when ``roles`` are given, one of them (else 403)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None:
                raise Http404("No such council.")
            if roles and not has_any_role(request.membership, roles):
                raise PermissionDenied("Your role in this council does not allow this.")
            return view(request, *args, **kwargs)

        wrapped.council_roles = frozenset(roles)  # read by the role tests
        return wrapped

    return decorator

"""Django admin for platform operators (``is_staff``) only; council staff use the service.

Council-owned models use django-scopes, so an admin queryset would raise outside a scope.
The admin is the operators' cross-council view, so ``ScopesDisabledAdminMixin`` disables
scopes for the whole admin request (pretix does the same for its admin-like views).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django_scopes import scopes_disabled

from councils.models import (
    AuditEvent,
    Council,
    Framework,
    FrameworkItem,
    Membership,
    RoleAssignment,
    RulePackVersion,
    Team,
    User,
)


class ScopesDisabledAdminMixin:
    """Run every admin view (list, change, add, delete, history) with scopes disabled.

    Querysets in the admin are lazy and evaluated while the template renders, so disabling
    scopes only in ``get_queryset`` would not be enough: the whole view runs inside
    ``scopes_disabled()``.
    """

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        with scopes_disabled():
            response = super().changelist_view(request, extra_context)
            return _render(response)

    def changeform_view(self, request: HttpRequest, object_id: str | None = None,
                        form_url: str = "", extra_context: Any = None) -> HttpResponse:
        with scopes_disabled():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            return _render(response)

    def delete_view(self, request: HttpRequest, object_id: str,
                    extra_context: Any = None) -> HttpResponse:
        with scopes_disabled():
            return _render(super().delete_view(request, object_id, extra_context))

    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: Any = None) -> HttpResponse:
        with scopes_disabled():
            return _render(super().history_view(request, object_id, extra_context))

    def get_search_results(self, request, queryset, search_term):
        with scopes_disabled():
            return super().get_search_results(request, queryset, search_term)


def _render(response: HttpResponse) -> HttpResponse:
    # TemplateResponse renders after the view returns; render now, while scopes are off.
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


class RoleAssignmentInline(admin.TabularInline):
    # Rendered inside MembershipAdmin's views, which already run with scopes disabled.
    model = RoleAssignment
    extra = 0
    fields = ["role"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups",
                               "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"],
                "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "service_area", "bank_holiday_region", "is_active"]
    list_filter = ["service_area", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["name", "council", "tags", "is_active"]
    list_filter = ["council", "is_active"]
    search_fields = ["name"]
    list_select_related = ["council"]


@admin.register(Membership)
class MembershipAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    list_display = ["user", "council", "team", "line_manager", "job_title", "is_active"]
    list_filter = ["council", "is_active"]
    search_fields = ["user__email", "user__full_name", "job_title"]
    list_select_related = ["user", "council", "team", "line_manager__user"]
    raw_id_fields = ["user", "team", "line_manager"]
    inlines = [RoleAssignmentInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    """Read-only: audit rows are append-only."""

    list_display = ["created_at", "council", "action", "actor", "affected_user", "object_type",
                    "object_id"]
    list_filter = ["council", "action"]
    search_fields = ["action", "object_id", "actor__email", "affected_user__email"]
    list_select_related = ["council", "actor", "affected_user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RulePackVersion)
class RulePackVersionAdmin(ScopesDisabledAdminMixin, admin.ModelAdmin):
    """Read-only: packs are loaded by the rule-pack loader, which validates them."""

    list_display = ["council", "version", "effective_from", "digest", "loaded_at"]
    list_filter = ["council"]
    list_select_related = ["council"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FrameworkItemInline(admin.TabularInline):
    model = FrameworkItem
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "version"]
    inlines = [FrameworkItemInline]

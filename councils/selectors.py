"""Reads for the council foundation: a person's councils, navigation and the home page.

Selectors start from the council (or, for a person's own list of councils, from the user);
views call them and render. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django_scopes import scopes_disabled

from councils.models import MANAGER_ROLES, Council, Membership, Role, Team, User
from councils.permissions import roles_of

# Which roles open which section of the home page. A person holding several roles sees every
# section that applies, in this order (their own progression first, then the people they
# support, then council-wide duties).
SECTION_ROLES: dict[str, frozenset[str]] = {
    "social_worker": frozenset({Role.SOCIAL_WORKER, Role.SENIOR_SOCIAL_WORKER}),
    "line_manager": frozenset(MANAGER_ROLES),
    "asye_lead": frozenset({Role.ASYE_LEAD, Role.LEARNING_AND_DEVELOPMENT}),
    "assessor": frozenset({Role.ASSESSOR, Role.LEAD_ASSESSOR, Role.ADVANCED_PRACTITIONER}),
    "panel": frozenset(
        {
            Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.HEAD_OF_SERVICE, Role.ASSISTANT_DIRECTOR,
            Role.STRATEGIC_MANAGER, Role.OPERATIONAL_DIRECTOR, Role.PRACTICE_MANAGER_SWPD,
            Role.UNIVERSITY_REPRESENTATIVE,
        }
    ),
    "hr": frozenset({Role.HR}),
    "council_admin": frozenset({Role.COUNCIL_ADMIN}),
    "principal_social_worker": frozenset({Role.PRINCIPAL_SOCIAL_WORKER}),
}

# Links offered in the service navigation, by the roles that may follow them. A link whose
# URL name is not (yet) in the URLconf is left out, so an app adds its entry here and the
# link appears when its view ships.
NAVIGATION: list[tuple[str, str, frozenset[str] | None]] = [
    ("Home", "home", None),
    ("People and teams", "people_list", frozenset({Role.COUNCIL_ADMIN})),
    ("Our rules", "council_rules", None),
    ("Eligibility checker", "eligibility_checker",
     frozenset({*MANAGER_ROLES, Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER,
                Role.COUNCIL_ADMIN})),
    # One "ASYE" link: the whole cohort for those who run the programme, else the manager's
    # own NQSWs (a label already shown is not repeated, so the first that applies wins).
    ("ASYE", "asye_cohort", frozenset({Role.ASYE_LEAD, Role.PRINCIPAL_SOCIAL_WORKER})),
    ("ASYE", "asye_managed", frozenset(MANAGER_ROLES)),
    ("Panels", "panels_sittings", SECTION_ROLES["panel"] | {Role.COUNCIL_ADMIN,
                                                            Role.PRINCIPAL_SOCIAL_WORKER}),
    ("Pay changes", "hr_pay_changes", frozenset({Role.HR})),
]


def memberships_of_user(user: User) -> list[Membership]:
    """The active memberships of ``user`` in active councils, across every council.

    This is the one read that crosses councils on purpose: a person chooses among their own
    councils. It returns only the person's own rows, so nothing of another person leaks.
    """
    with scopes_disabled():
        return list(
            Membership.objects.filter(user=user, is_active=True, council__is_active=True)
            .select_related("council")
            .order_by("council__name")
        )


def _reverse_or_none(url_name: str, council_slug: str) -> str | None:
    """The URL of a council page, or None while the app that serves it is not installed."""
    try:
        return reverse(url_name, kwargs={"council_slug": council_slug})
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(
    membership: Membership | None, *, current_url_name: str | None, several_councils: bool
) -> list[NavItem]:
    """Service navigation links for ``membership``'s roles in its council.

    ``several_councils`` adds the council switcher for people who belong to more than one.
    """
    items: list[NavItem] = []
    if membership is not None:
        roles = roles_of(membership)
        slug = membership.council.slug
        for label, url_name, needs in NAVIGATION:
            if needs is not None and not roles & needs:
                continue
            if any(item.label == label for item in items):
                continue
            url = _reverse_or_none(url_name, slug)
            if url is None:
                continue
            items.append(NavItem(label, url, current_url_name == url_name))
    if several_councils:
        active = current_url_name == "council_switch"
        items.append(NavItem("Switch council", reverse("council_switch"), active))
    return items


@dataclass
class HomePage:
    """What the home page shows for one membership: a section per role group held."""

    membership: Membership
    sections: list[str]
    reports: list[Membership] = field(default_factory=list)
    nqsws: list[Membership] = field(default_factory=list)
    people_count: int = 0
    team_count: int = 0
    teams: list[Team] = field(default_factory=list)
    people_url: str | None = None


def home_sections(membership: Membership) -> list[str]:
    """The home-page section keys that ``membership``'s roles open, in display order."""
    roles = roles_of(membership)
    return [key for key, needs in SECTION_ROLES.items() if roles & needs]


def home_page(council: Council, membership: Membership) -> HomePage:
    """Everything the home page of ``membership`` in ``council`` needs, in a fixed number of
    queries whatever the council's size (reads run inside the council's scope)."""
    sections = home_sections(membership)
    page = HomePage(membership=membership, sections=sections)
    members = Membership.objects.filter(council=council, is_active=True)
    if "line_manager" in sections:
        page.reports = list(
            members.filter(line_manager=membership)
            .select_related("user", "team")
            .order_by("user__full_name")
        )
    if "asye_lead" in sections or "principal_social_worker" in sections:
        page.nqsws = list(
            members.filter(roles__role=Role.SOCIAL_WORKER)
            .select_related("user", "team", "line_manager__user")
            .order_by("user__full_name")
            .distinct()
        )
    if "council_admin" in sections or "principal_social_worker" in sections:
        page.people_count = members.count()
        page.teams = list(Team.objects.filter(council=council, is_active=True).order_by("name"))
        page.team_count = len(page.teams)
        page.people_url = _reverse_or_none("people_list", council.slug)
    return page

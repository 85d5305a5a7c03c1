"""Demo and reference data: the five councils, their teams, one person per role, frameworks.

Every function here is idempotent: run it twice and the database holds the same rows. The
reference frameworks are real data every installation needs; the people are demo data that
``load_demo`` creates for trying the service (`make run`) and for the browser tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from councils.audit import audit_log
from councils.models import (
    Council,
    Framework,
    FrameworkItem,
    Membership,
    Role,
    RoleAssignment,
    ServiceArea,
    Team,
    User,
)

DEMO_PASSWORD = "demo-password-2026"
OPERATOR_EMAIL = "operator@platform.demo"
AGENCY_EMAIL = "agency-social-worker@agency.demo"


@dataclass(frozen=True)
class CouncilSpec:
    slug: str
    name: str
    short_name: str
    service_area: str
    teams: tuple[tuple[str, tuple[str, ...]], ...]


# Slugs, names and service areas from domain.md section 5. Team tags are the ones the rules
# read: Lincolnshire LINCS-04 (fast, cwd); Stoke STOKE-05 (routine ASYE teams) and STOKE-07
# (asye-unsuitable).
COUNCILS: tuple[CouncilSpec, ...] = (
    CouncilSpec(
        "north-east-lincolnshire", "North East Lincolnshire Council", "NELC",
        ServiceArea.CHILDREN,
        (("Children's Assessment and Safeguarding", ()), ("Children in Care", ())),
    ),
    CouncilSpec(
        "stoke-on-trent", "Stoke-on-Trent City Council", "Stoke", ServiceArea.CHILDREN,
        (
            ("Children's Support and Safeguarding (CSS)", ("css", "asye-routine")),
            ("Children in Care (CIC)", ("cic", "asye-routine")),
            ("Family and Adolescent Support Team (FAST)", ("fast", "asye-routine")),
            ("Early Help", ("early-help", "asye-unsuitable")),
        ),
    ),
    CouncilSpec(
        "derbyshire", "Derbyshire County Council", "Derbyshire", ServiceArea.ADULTS,
        (("Adult Care North", ()), ("Adult Care South", ()), ("Hospital Social Work", ())),
    ),
    CouncilSpec(
        "lincolnshire", "Lincolnshire County Council", "Lincolnshire", ServiceArea.CHILDREN,
        (
            ("Family Assessment and Support Team (FAST)", ("fast",)),
            ("Children with Disabilities (CWD)", ("cwd",)),
        ),
    ),
    CouncilSpec(
        "halton", "Halton Borough Council", "Halton", ServiceArea.CHILDREN,
        (("Children in Need", ()), ("Children in Care", ())),
    ),
)

# One demo person per role: (role, full name, job title). The e-mail is <role>@<slug>.demo.
DEMO_PEOPLE: tuple[tuple[str, str, str], ...] = (
    (Role.SOCIAL_WORKER, "Amira Khan", "Newly qualified social worker"),
    (Role.LINE_MANAGER, "Ben Carter", "Practice supervisor"),
    (Role.TEAM_MANAGER, "Chloe Davies", "Team manager"),
    (Role.ASYE_LEAD, "Daniel Evans", "ASYE lead"),
    (Role.ASSESSOR, "Esther Foster", "Advanced practitioner"),
    (Role.PANEL_CHAIR, "Femi Green", "Head of service"),
    (Role.PANEL_MEMBER, "Grace Hughes", "Service manager"),
    (Role.HR, "Harry Iqbal", "HR adviser"),
    (Role.COUNCIL_ADMIN, "Isla Jones", "Workforce development officer"),
    (Role.PRINCIPAL_SOCIAL_WORKER, "Jamal Kelly", "Principal social worker"),
)

# Roles a demo person holds on top of their own, by (council slug, demo role). Lincolnshire's
# line manager is the worker's Practice Supervisor, the role that confirms readiness before a
# panel booking (LINCS-05), so the demo portfolio can be signed through the real service.
EXTRA_ROLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("lincolnshire", Role.LINE_MANAGER): (Role.PRACTICE_SUPERVISOR,),
}


@dataclass(frozen=True)
class ExtraPerson:
    """A second social worker in one council, reporting to that council's demo line manager:
    the demo activity (progression.demo_activity) gives them a programme or a case."""

    council: str
    local_part: str
    full_name: str
    job_title: str
    label: str

    @property
    def email(self) -> str:
        return f"{self.local_part}@{self.council}.demo"


EXTRA_PEOPLE: tuple[ExtraPerson, ...] = (
    # A second NQSW further into the year, with an overdue review (STOKE-15).
    ExtraPerson("stoke-on-trent", "nqsw2", "Leah Morgan", "Newly qualified social worker",
                "Social worker (second NQSW)"),
    # The demo social worker of Derbyshire is on grade 9; this one is on grade 10 (DERBY-14).
    ExtraPerson("derbyshire", "grade-10-social-worker", "Omar Price", "Social worker",
                "Social worker (grade 10)"),
)

# The councils the agency worker belongs to (a person in two councils switches between them).
AGENCY_COUNCILS = ("stoke-on-trent", "halton")

KSS_CHILD_FAMILY = (
    "Relationships and effective direct work",
    "Communication",
    "Child development",
    "Adult mental ill health, substance misuse, domestic abuse, physical ill health and "
    "disability",
    "Abuse and neglect of children",
    "Child and family assessment",
    "Analysis, decision-making, planning and review",
    "The law and the family and youth justice systems",
    "The role of supervision",
    "Organisational context",
)
PCF_DOMAINS = (
    ("professionalism", "Professionalism"),
    ("values-and-ethics", "Values and Ethics"),
    ("diversity-and-equality", "Diversity and Equality"),
    ("rights-justice-economic-wellbeing", "Rights, Justice and Economic Wellbeing"),
    ("knowledge", "Knowledge"),
    ("critical-reflection-and-analysis", "Critical Reflection and Analysis"),
    ("intervention-and-skills", "Intervention and Skills"),
    ("contexts-and-organisations", "Contexts and Organisations"),
    ("professional-leadership", "Professional Leadership"),
)
PCF_LEVELS = (
    ("asye", "ASYE / newly qualified social worker"),
    ("social-worker", "Social worker"),
    ("experienced", "Experienced social worker"),
    ("advanced", "Advanced social worker"),
)


@dataclass(frozen=True)
class DemoLogin:
    council: str
    role: str
    email: str


def demo_email(role: str, council_slug: str) -> str:
    return f"{role}@{council_slug}.demo"


@transaction.atomic
def frameworks_ensure() -> list[Framework]:
    """Create or update the reference frameworks (domain.md §2 and §5): KSS child and family
    (statements 1-10), KSS adults (identified only: the seeds list no statements), the PCF
    (nine domains and four levels)."""
    kss, _ = Framework.objects.update_or_create(
        slug="kss-child-family", version="2018",
        defaults={"title": "Knowledge and skills statement for child and family practitioners"},
    )
    for position, title in enumerate(KSS_CHILD_FAMILY, start=1):
        _item_ensure(kss, FrameworkItem.Kind.STATEMENT, str(position), title, position)
    adults, _ = Framework.objects.update_or_create(
        slug="kss-adults", version="2015",
        defaults={"title": "Knowledge and skills statement for social workers in adult services"},
    )
    pcf, _ = Framework.objects.update_or_create(
        slug="pcf", version="2018", defaults={"title": "Professional Capabilities Framework"}
    )
    for position, (code, title) in enumerate(PCF_DOMAINS, start=1):
        _item_ensure(pcf, FrameworkItem.Kind.DOMAIN, code, title, position)
    for position, (code, title) in enumerate(PCF_LEVELS, start=1):
        _item_ensure(pcf, FrameworkItem.Kind.LEVEL, code, title, position)
    return [kss, adults, pcf]


def _item_ensure(framework: Framework, kind: str, code: str, title: str, position: int) -> None:
    FrameworkItem.objects.update_or_create(
        framework=framework, kind=kind, code=code,
        defaults={"title": title, "position": position},
    )


@transaction.atomic
def council_ensure(spec: CouncilSpec) -> Council:
    """The council of ``spec`` with its teams; existing rows are updated, none removed."""
    council, _ = Council.objects.update_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "short_name": spec.short_name,
                  "service_area": spec.service_area, "bank_holiday_region": "ENG"},
    )
    with scope(council=council):
        for name, tags in spec.teams:
            Team.objects.update_or_create(council=council, name=name,
                                          defaults={"tags": list(tags)})
    return council


def demo_password_encoded(password: str) -> str:
    """One hash of ``password`` for every demo user: the stored hash of an existing demo user
    when it matches, else a new one. Hashing is deliberately slow (about a second each on a
    small machine), so hashing once instead of twice per person keeps ``load_demo`` fast."""
    probe = User.objects.filter(email=OPERATOR_EMAIL).values_list("password", flat=True).first()
    if probe and check_password(password, probe):
        return probe
    return make_password(password)


def user_ensure(*, email: str, full_name: str, password: str, is_staff: bool = False,
                is_superuser: bool = False, encoded: str | None = None) -> User:
    """The user with ``email``; the password is reset to ``password`` only when it differs.
    ``encoded`` (from ``demo_password_encoded(password)``) is stored instead of hashing again."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
    user.full_name = full_name
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    if encoded is not None:
        if user.password != encoded:
            user.password = encoded
    elif not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


def member_ensure(*, council: Council, user: User, roles: list[str], team: Team | None,
                  job_title: str, line_manager: Membership | None = None) -> Membership:
    """``user``'s active membership of ``council`` with exactly ``roles`` (call inside the
    council's scope). A new membership writes a ``membership.created`` audit event."""
    membership = Membership.objects.filter(council=council, user=user).first()
    created = membership is None
    if created:
        membership = Membership(council=council, user=user)
    membership.team = team
    membership.job_title = job_title
    membership.line_manager = line_manager
    membership.is_active = True
    membership.deactivated_at = None
    membership.full_clean(validate_constraints=False)
    membership.save()
    RoleAssignment.objects.filter(membership=membership).exclude(role__in=roles).delete()
    for role in roles:
        RoleAssignment.objects.get_or_create(council=council, membership=membership, role=role)
    if created:
        audit_log(council=council, actor=None, action="membership.created", obj=membership,
                  affected_user=user, data={"after": {"roles": sorted(roles), "demo": True}})
    return membership


@transaction.atomic
def demo_people_ensure(council: Council, *, password: str = DEMO_PASSWORD,
                       encoded: str | None = None) -> list[DemoLogin]:
    """One demo person per role in ``council``; the social worker reports to the line manager,
    who reports to the team manager."""
    logins: list[DemoLogin] = []
    with scope(council=council):
        team = Team.objects.filter(council=council).order_by("name").first()
        made: dict[str, Membership] = {}
        for role, full_name, job_title in DEMO_PEOPLE:
            email = demo_email(role, council.slug)
            user = user_ensure(email=email, full_name=full_name, password=password,
                               encoded=encoded)
            roles = [role, *EXTRA_ROLES.get((council.slug, role), ())]
            made[role] = member_ensure(council=council, user=user, roles=roles, team=team,
                                       job_title=job_title)
            logins.append(DemoLogin(council.name, Role(role).label, email))
        _set_line_manager(made[Role.LINE_MANAGER], made[Role.TEAM_MANAGER])
        _set_line_manager(made[Role.SOCIAL_WORKER], made[Role.LINE_MANAGER])
        for extra in EXTRA_PEOPLE:
            if extra.council != council.slug:
                continue
            user = user_ensure(email=extra.email, full_name=extra.full_name, password=password,
                               encoded=encoded)
            member_ensure(council=council, user=user, roles=[Role.SOCIAL_WORKER], team=team,
                          job_title=extra.job_title, line_manager=made[Role.LINE_MANAGER])
            logins.append(DemoLogin(council.name, extra.label, extra.email))
    return logins


def _set_line_manager(membership: Membership, manager: Membership) -> None:
    if membership.line_manager_id != manager.pk:
        membership.line_manager = manager
        membership.save(update_fields=["line_manager"])


@transaction.atomic
def agency_worker_ensure(*, password: str = DEMO_PASSWORD,
                         encoded: str | None = None) -> list[DemoLogin]:
    """An agency social worker who is a member of two councils (``AGENCY_COUNCILS``)."""
    user = user_ensure(email=AGENCY_EMAIL, full_name="Kai Lewis", password=password,
                       encoded=encoded)
    logins = []
    for slug in AGENCY_COUNCILS:
        council = Council.objects.get(slug=slug)
        with scope(council=council):
            manager = Membership.objects.filter(
                council=council, user__email=demo_email(Role.LINE_MANAGER, slug)
            ).first()
            team = Team.objects.filter(council=council).order_by("name").first()
            member_ensure(council=council, user=user, roles=[Role.SOCIAL_WORKER], team=team,
                          job_title="Agency social worker", line_manager=manager)
        logins.append(DemoLogin(council.name, "Agency social worker", AGENCY_EMAIL))
    return logins


@transaction.atomic
def load_demo(*, password: str = DEMO_PASSWORD, today: dt.date | None = None) -> list[DemoLogin]:
    """Frameworks, the five councils with teams, their demo people, the agency worker, the
    platform operator, then the demo activity (ASYE programmes, portfolios) dated relative to
    ``today`` (default: the local date). Idempotent. Returns the logins to print."""
    today = today or timezone.localdate()
    encoded = demo_password_encoded(password)
    frameworks_ensure()
    logins: list[DemoLogin] = []
    for spec in COUNCILS:
        council = council_ensure(spec)
        logins += demo_people_ensure(council, password=password, encoded=encoded)
    logins += agency_worker_ensure(password=password, encoded=encoded)
    # Rule packs and the demo social workers' career records (progression.demo_records).
    from progression.demo_records import demo_rules_ensure

    demo_rules_ensure(demo_email=demo_email, today=today)
    # What the demo people have done: programmes, reviews, caseloads, portfolios (all through
    # the real services; progression.demo_activity).
    from progression.demo_activity import demo_activity_ensure

    demo_activity_ensure(today=today)
    user_ensure(email=OPERATOR_EMAIL, full_name="Platform operator", password=password,
                is_staff=True, is_superuser=True, encoded=encoded)
    logins.append(DemoLogin("(all councils, Django admin)", "Platform operator", OPERATOR_EMAIL))
    return logins


"""Reads for the ASYE pages. Each starts from the council; lists use a fixed number of
queries whatever the cohort size (annotations, no per-row queries); per-row rules come from
the pack version (parsed once per digest and cached)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from councils.models import Council, Membership
from councils.people_selectors import line_manager_chain
from councils.rules.schema import AttendanceSeries
from progression.asye.rules import (
    acting_roles,
    pack_of,
    programme_rules,
    reviews_held_of,
    route_of,
    worker_person,
)
from progression.engine import (
    AttendanceStatus,
    allocation,
    attendance_status,
    matrix_row,
    supervision_due_on,
    supervision_frequency,
)
from progression.models import (
    OPEN_PROGRAMME_STATUSES,
    AllocationRole,
    AsyeProgramme,
    Attendance,
    CaseAllocation,
    CaseloadBreach,
    Review,
    SupervisionKind,
    SupervisionSession,
)


def _base(council: Council) -> QuerySet[AsyeProgramme]:
    return (AsyeProgramme.objects.filter(council=council)
            .select_related("membership__user", "membership__team",
                            "membership__line_manager__user", "pack_version",
                            "learning_agreement")
            .defer("pack_version__content", "pack_version__source"))


def access_programme(council: Council, programme_id: int) -> AsyeProgramme:
    """The programme, or 404 whether it is missing or another council's."""
    p = _base(council).filter(pk=programme_id).first()
    if p is None:
        raise Http404("No such programme.")
    return p


def access_review(council: Council, review_id: int) -> Review:
    r = (Review.objects.filter(council=council, pk=review_id)
         .select_related("programme").first())
    if r is None:
        raise Http404("No such review.")
    return r


def access_owned(model, council: Council, pk: int, *, related: str = "programme"):
    """Any programme-owned row of ``council`` by id (404 otherwise)."""
    obj = model.objects.filter(council=council, pk=pk).select_related(related).first()
    if obj is None:
        raise Http404("Not found.")
    return obj


def current_programme(membership: Membership) -> AsyeProgramme | None:
    return (_base(membership.council).filter(membership=membership)
            .order_by("-started_on").first())


def _annotated(qs: QuerySet[AsyeProgramme], today: dt.date) -> QuerySet[AsyeProgramme]:
    """Counts as correlated subqueries (joins of several to-many would multiply rows)."""
    def count(model, extra: Q) -> Coalesce:
        sub = (model.objects.filter(extra, programme=OuterRef("pk")).order_by()
               .values("programme").annotate(n=Count("pk")).values("n"))
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    open_reviews = Q(held_on__isnull=True, waived_on__isnull=True)
    # The next review still ahead (overdue ones are counted apart, not "next").
    next_review = (Review.objects.filter(open_reviews, programme=OuterRef("pk"),
                                         due_on__gte=today)
                   .order_by("due_on").values("due_on")[:1])
    last_sup = (SupervisionSession.objects.filter(programme=OuterRef("pk"),
                                                  kind=SupervisionKind.INDIVIDUAL)
                .order_by().values("programme").annotate(m=Max("held_on")).values("m"))
    return qs.annotate(
        overdue_reviews=count(Review, open_reviews & Q(due_on__lt=today)),
        next_review_on=Subquery(next_review),
        last_supervision_on=Subquery(last_sup),
        caseload=count(CaseAllocation, Q(ended_on__isnull=True, role=AllocationRole.ALLOCATED)),
        open_breach=Exists(CaseloadBreach.objects.filter(programme=OuterRef("pk"),
                                                         resolved_on__isnull=True)),
        first_review_on=Subquery(Review.objects.filter(programme=OuterRef("pk"))
                                 .order_by().values("programme")
                                 .annotate(m=Min("due_on")).values("m")),
    )


@dataclass
class Row:
    """One programme in a list, with what is overdue (computed from its pack)."""

    programme: AsyeProgramme
    overdue: list[str]
    next_due: tuple[str, dt.date] | None
    supervision_due_on: dt.date | None
    cap: int | None

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)


def _row(p: AsyeProgramme, today: dt.date) -> Row:
    prog = programme_rules(p)
    overdue: list[str] = []
    due: list[tuple[str, dt.date]] = []
    la = getattr(p, "learning_agreement", None)
    la_due = la.due_on if la is not None else None
    if la is not None and la.agreed_on is None and la_due is not None:
        (overdue.append("Learning agreement") if la_due < today
         else due.append(("Learning agreement", la_due)))
    if p.overdue_reviews:
        overdue.append(f"{p.overdue_reviews} review{'s' if p.overdue_reviews > 1 else ''}")
    if p.next_review_on and p.next_review_on >= today:
        due.append(("Review", p.next_review_on))
    sup_due = None
    if p.is_open:
        person = worker_person_light(p)
        sup_due = supervision_due_on(pack_of(p), person, p.last_supervision_on, p.route_slug)
        if sup_due is not None:
            (overdue.append("Supervision") if sup_due < today
             else due.append(("Supervision", sup_due)))
    if p.open_breach:
        overdue.append("Caseload breach")
    cap = prog.caseload.effective_cap() if prog and prog.caseload else None
    return Row(p, overdue, min(due, key=lambda x: x[1]) if due else None, sup_due, cap)


def worker_person_light(p: AsyeProgramme):
    """A PersonRecord with just the programme facts (no query): enough for timelines."""
    from progression.engine import AsyeRecord, HoursEntry, PersonRecord

    return PersonRecord(asye=AsyeRecord(started_on=p.started_on,
                                        credit_months=p.credit_months),
                        hours=(HoursEntry(p.started_on, 0.5 if p.part_time else 1.0),))


@dataclass(frozen=True)
class CohortFilters:
    q: str = ""
    team: int | None = None
    status: str = ""
    overdue_only: bool = False


def cohort_page(council: Council, filters: CohortFilters, page_number: int | str | None,
                today: dt.date, per_page: int = 25) -> tuple[Page, list[Row]]:
    """The ASYE lead's cohort: filterable, paginated; constant queries whatever its size."""
    # Page over bare ids first (cheap to sort and count), then annotate only that page.
    qs = AsyeProgramme.objects.filter(council=council)
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=OPEN_PROGRAMME_STATUSES)
    if filters.team:
        qs = qs.filter(membership__team_id=filters.team)
    if filters.q:
        qs = qs.filter(Q(membership__user__full_name__icontains=filters.q)
                       | Q(membership__user__email__icontains=filters.q))
    if filters.overdue_only:
        overdue_review = Review.objects.filter(programme=OuterRef("pk"), held_on__isnull=True,
                                               waived_on__isnull=True, due_on__lt=today)
        breach = CaseloadBreach.objects.filter(programme=OuterRef("pk"),
                                               resolved_on__isnull=True)
        qs = qs.filter(Exists(overdue_review) | Exists(breach)
                       | Q(learning_agreement__agreed_on__isnull=True,
                           learning_agreement__due_on__lt=today))
    order = ("membership__user__full_name", "pk")
    page = Paginator(qs.order_by(*order).values_list("pk", flat=True),
                     per_page).get_page(page_number)
    ids = list(page.object_list)
    programmes = _annotated(_base(council).filter(pk__in=ids), today).order_by(*order)
    return page, [_row(p, today) for p in programmes]


def managed_rows(manager: Membership, today: dt.date) -> list[Row]:
    """The manager's NQSWs (direct reports and their reports), overdue items first."""
    qs = _annotated(_base(manager.council).filter(
        Q(membership__line_manager=manager) | Q(membership__line_manager__line_manager=manager),
        status__in=OPEN_PROGRAMME_STATUSES), today)
    rows = [_row(p, today) for p in qs]
    rows.sort(key=lambda r: (-r.overdue_count, r.programme.membership.user.full_name))
    return rows


# ------------------------------------------------------------------------ programme detail

@dataclass
class SeriesSummary:
    series: AttendanceSeries
    status: AttendanceStatus
    sessions_recorded: int
    below: bool  # the threshold can no longer be met (or was missed)


def attendance_summary(p: AsyeProgramme, rows: list[Attendance]) -> list[SeriesSummary]:
    """NELC-09: each pack series with attended, approved absences and the threshold. ``below``
    when the unapproved absences already make the requirement unreachable."""
    prog = programme_rules(p)
    out = []
    for series in (prog.attendance if prog else []):
        mine = [a for a in rows if a.day.series == series.slug]
        st = attendance_status(series, sum(1 for a in mine if a.attended),
                               [a.absence_reason for a in mine if not a.attended])
        below = False
        if st.required is not None and series.sessions is not None:
            below = st.missed > series.sessions - st.required
        out.append(SeriesSummary(series, st, len(mine), below))
    return out


@dataclass
class SupervisionCompliance:
    frequency: str | None
    due_on: dt.date | None
    overdue: bool
    late_gaps: int  # sessions that came later than the band's maximum gap
    sessions: int


def supervision_compliance(p: AsyeProgramme, sessions: list[SupervisionSession],
                           today: dt.date) -> SupervisionCompliance:
    """STOKE-18 / NELC-07: frequency in force, the next due date and late gaps so far.
    Group sessions are listed but the bands are for individual supervision."""
    pack = pack_of(p)
    person = worker_person_light(p)
    individual = sorted(s.held_on for s in sessions if s.kind == SupervisionKind.INDIVIDUAL)
    late, last = 0, None
    for held in individual:
        due = supervision_due_on(pack, person, last, p.route_slug)
        if due is not None and held > due:
            late += 1
        last = held
    due = supervision_due_on(pack, person, last, p.route_slug) if p.is_open else None
    return SupervisionCompliance(supervision_frequency(pack, person, today, p.route_slug), due,
                                 bool(due and due < today), late, len(sessions))


# How each complexity gate mode reads on the page (STOKE-28..42).
GATE_MODE_LABELS = {
    "refused": "Refused",
    "co-work-only": "Co-working only",
    "allowed-with-conditions": "Allowed, with the conditions recorded",
    "allowed-with-agreement": "Only under a signed complex work agreement",
    "manager-decision": "The manager's decision, with a reason",
    "allowed": "Allowed",
}


@dataclass
class Detail:
    programme: AsyeProgramme
    roles: frozenset[str]
    reviews: list[Review]
    sessions: list[SupervisionSession]
    supervision: SupervisionCompliance
    attendance: list[SeriesSummary]
    attendances: list[Attendance]
    observations: list
    allocations: list[CaseAllocation]
    caseload: int
    cap: int | None
    breaches: list[CaseloadBreach]
    agreements: list
    study_days: list
    study_days_max: int | None
    extensions: list
    deferrals: list
    final_report: object | None
    la_signatures: list
    la_signatories: tuple[str, ...]
    la_due_on: dt.date | None
    timeline: list[tuple[str, dt.date, str]] = field(default_factory=list)
    matrix: dict[str, list[str]] = field(default_factory=dict)
    case_kinds: list[str] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)
    gate_notes: list[tuple[str, bool, str]] = field(default_factory=list)
    not_stated: list[str] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)
    breach_procedure: bool = False  # the pack has a caseload breach procedure (STOKE-27)
    breach_spec: object | None = None  # the pack's breach procedure (timer, who it goes to)
    open_breach: bool = False

    @property
    def la_signed(self) -> list[tuple[str, object]]:
        """(role label, signature or None) for each signatory role of the agreement."""
        from councils.models import Role

        by_role = {s.role: s for s in self.la_signatures}
        labels = dict(Role.choices)
        return [(labels.get(r, r.replace("-", " ").capitalize()), by_role.get(r))
                for r in self.la_signatories]


def programme_detail(p: AsyeProgramme, actor: Membership, today: dt.date) -> Detail:
    """Everything the programme page shows (a fixed number of queries)."""
    from progression.asye.services import la_signatories

    prog = programme_rules(p)
    chain = line_manager_chain(p.membership)
    roles = acting_roles(actor, p, chain)
    reviews = list(p.reviews.prefetch_related("signatures"))
    sessions = list(p.supervision_sessions.select_related("supervisor__user"))
    attendances = list(p.attendances.select_related("day").order_by("day__held_on"))
    allocations = list(p.allocations.select_related("case").filter(ended_on__isnull=True))
    caseload = sum(1 for a in allocations if a.role == AllocationRole.ALLOCATED)
    breaches = list(p.caseload_breaches.all())
    la = p.learning_agreement
    la_due = la.due_on
    timeline: list[tuple[str, dt.date, str]] = [("Start", p.started_on, "done")]
    if la_due:
        timeline.append(("Learning agreement", la_due,
                         "done" if la.agreed_on else ("overdue" if la_due < today else "due")))
    for r in reviews:
        state = ("done" if r.held_on else "waived" if r.waived_on
                 else "overdue" if r.due_on < today else "due")
        timeline.append((f"{r.month}-month review" + (" (final)" if r.is_final else ""),
                         r.due_on, state))
    timeline.append(("Planned end", p.planned_end, "due"))
    if p.latest_end:
        timeline.append(("Latest end (ceiling)", p.latest_end, "due"))
    timeline.sort(key=lambda t: t[1])
    person = worker_person(p, today, reviews_held=reviews_held_of_list(reviews),
                           caseload=caseload)
    kinds = list(prog.complexity.kinds) if prog and prog.complexity else []
    gate_notes = []
    for kind in kinds:
        ans = allocation(pack_of(p), person, today, kind, None, "allocated-worker", p.route_slug)
        gate_notes.append((kind.replace("-", " ").capitalize(),
                           ans.allowed and ans.mode != "allowed-with-agreement",
                           GATE_MODE_LABELS.get(ans.mode, ans.mode)))
    route = route_of(pack_of(p), p.route_slug)
    rules = {}
    if prog:
        for name in ("learning_agreement", "reviews", "supervision", "caseload", "complexity",
                     "study_days", "extensions", "deferrals", "ceiling", "credit"):
            node = getattr(prog, name, None)
            if node is not None:
                rules[name] = ", ".join(node.rules)
    level = getattr(getattr(p.membership, "career_record", None), "current_level", "") or ""
    return Detail(
        programme=p, roles=roles, reviews=reviews, sessions=sessions,
        supervision=supervision_compliance(p, sessions, today),
        attendance=attendance_summary(p, attendances), attendances=attendances,
        observations=list(p.observations.select_related("observer__user")),
        allocations=allocations, caseload=caseload,
        cap=prog.caseload.effective_cap() if prog and prog.caseload else None,
        breaches=breaches,
        agreements=list(p.complex_work_agreements.prefetch_related("signatures")),
        study_days=list(p.study_days.all()),
        study_days_max=prog.study_days.max if prog and prog.study_days else None,
        extensions=list(p.extensions.all()), deferrals=list(p.deferrals.all()),
        final_report=getattr(p, "final_report", None) if _has_report(p) else None,
        la_signatures=list(la.signatures.all()), la_signatories=la_signatories(p),
        la_due_on=la_due, timeline=timeline,
        matrix=matrix_row(pack_of(p), level) if level else {},
        case_kinds=kinds,
        qualifiers=list(prog.complexity.qualifiers) if prog and prog.complexity else [],
        gate_notes=gate_notes,
        not_stated=list(prog.not_stated) if prog else [],
        rules=rules | ({"route": ", ".join(route.rules)} if route else {}),
        breach_procedure=bool(prog and prog.caseload and prog.caseload.breach),
        breach_spec=prog.caseload.breach if prog and prog.caseload else None,
        open_breach=any(b.resolved_on is None for b in breaches),
    )


def reviews_held_of_list(reviews: list[Review]):
    from progression.engine import ReviewHeld

    return tuple(ReviewHeld(r.month, r.held_on, r.complex_work_ready)
                 for r in reviews if r.held_on is not None)


def _has_report(p: AsyeProgramme) -> bool:
    from progression.models import FinalReport

    return FinalReport.objects.filter(programme=p).exists()


__all__ = ["access_programme", "cohort_page", "managed_rows", "programme_detail",
           "reviews_held_of"]


def final_report_of(p: AsyeProgramme):
    """The programme's final report, or 404 when none is submitted yet."""
    from progression.models import FinalReport

    report = FinalReport.objects.filter(council=p.council, programme=p).first()
    if report is None:
        raise Http404("No final report yet.")
    return report


@dataclass
class AsyeHome:
    """The ASYE parts of a member's home page (empty parts are not shown)."""

    own: Detail | None = None
    missing: list[str] = field(default_factory=list)
    next_due: tuple[str, dt.date] | None = None
    overdue: list[str] = field(default_factory=list)
    managed: list[Row] = field(default_factory=list)
    is_manager: bool = False
    cohort_link: bool = False
    can_enrol: bool = False

    def __bool__(self) -> bool:
        return bool(self.own or self.managed or self.is_manager or self.cohort_link)


def asye_home(membership: Membership, today: dt.date) -> AsyeHome:
    """NQSW: where they are (timeline), next due, missing and overdue items, supervision,
    attendance and caseload. Manager: their NQSWs, overdue first. ASYE lead: a cohort link.

    One query finds the member's own programme and those of the people they manage (two
    levels down); the own programme's detail adds a fixed number more."""
    from councils.models import MANAGER_ROLES, Role
    from councils.permissions import roles_of

    roles = roles_of(membership)
    home = AsyeHome(is_manager=bool(roles & MANAGER_ROLES))
    if Role.ASYE_LEAD in roles or Role.PRINCIPAL_SOCIAL_WORKER in roles:
        home.cohort_link = True
        home.can_enrol = Role.ASYE_LEAD in roles
    wanted = Q(pk__in=[])
    if Role.SOCIAL_WORKER in roles:
        wanted |= Q(membership=membership)
    if home.is_manager:
        wanted |= (Q(membership__line_manager=membership)
                   | Q(membership__line_manager__line_manager=membership)) & Q(
            status__in=OPEN_PROGRAMME_STATUSES)
    if not (Role.SOCIAL_WORKER in roles or home.is_manager):
        return home
    programmes = list(_annotated(_base(membership.council).filter(wanted), today)
                      .order_by("-started_on", "pk"))
    own = next((p for p in programmes if p.membership_id == membership.pk), None)
    home.managed = sorted((_row(p, today) for p in programmes
                           if p.membership_id != membership.pk),
                          key=lambda r: (-r.overdue_count, r.programme.membership.user.full_name))
    if own is not None:
        d = programme_detail(own, membership, today)
        row = _row(own, today)
        home.own, home.next_due, home.overdue = d, row.next_due, row.overdue
        if not own.learning_agreement.agreed_on:
            home.missing.append("Signed learning agreement")
        unsigned = [o for o in d.observations if not o.reflection_signed_on]
        if unsigned:
            home.missing.append(f"{len(unsigned)} observation(s) not fully signed")
        for a in d.attendance:
            if a.below:
                home.missing.append(f"{a.series.title or a.series.slug}: attendance below "
                                    "the threshold")
    return home


@dataclass
class AllocationGuidance:
    """The advisory matrix row of the worker's level and the complexity questions."""

    level: str
    row: dict[str, list[str]]
    questions: list[str]
    rules: str


def allocation_guidance(p: AsyeProgramme) -> AllocationGuidance | None:
    """DERBY-29/30: None when the programme's pack has no allocation matrix."""
    pack = pack_of(p)
    m = pack.allocation_matrix
    if m is None:
        return None
    record = getattr(p.membership, "career_record", None)
    level = (record.current_level if record is not None else "") or ""
    return AllocationGuidance(level=level, row=matrix_row(pack, level) if level else {},
                              questions=list(m.complexity_questions), rules=", ".join(m.rules))

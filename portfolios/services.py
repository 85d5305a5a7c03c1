"""Writes of progression cases and portfolios. Each service is keyword-only, atomic, locks
what it changes, validates (``full_clean``) and leaves an audit event.

Everything a council requires comes from the case's rule pack version through the engine;
refusals are ``ValidationError`` with the precise reason in plain words.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from councils.audit import audit_log
from councils.models import Framework, Membership, Role, User
from councils.permissions import roles_of
from councils.rules import frameworks as fw
from councils.rules.schema import Route, RulePack
from councils.rules.selectors import pack_of_version, pack_version_in_force
from portfolios import files
from portfolios.anonymisation import word_count
from portfolios.models import (
    CaseStatus,
    EvidenceItem,
    ExpressionOfIntent,
    Portfolio,
    ProgressionCase,
    SignOff,
    Submission,
    SupportDecision,
    can_transition,
    sitting_validator,
)
from portfolios.permissions import PANEL_RETURN, case_access
from portfolios.selectors import (
    case_pack,
    content_digest,
    item_digest,
    live_items,
    portfolio_overview,
    sitting_date,
)
from portfolios.wording import plain, role_words, slug_words
from progression import engine
from progression.engine.dates import add_months
from progression.engine_inputs import person_record_for
from progression.models import CareerRecord


def _lock(case: ProgressionCase) -> ProgressionCase:
    return ProgressionCase.objects.select_for_update(of=("self",)).get(council_id=case.council_id,
                                                           pk=case.pk)


def _move(case: ProgressionCase, status: str) -> None:
    if not can_transition(case.status, status):
        raise ValidationError(f"A case that is '{case.get_status_display()}' cannot become "
                              f"'{CaseStatus(status).label}'.")
    case.status = status


def _route(pack: RulePack, slug: str) -> Route:
    for route in pack.routes:
        if route.slug == slug:
            return route
    raise ValidationError({"route_slug": "Choose a route of your council's rule pack."})


# -- opening a route ---------------------------------------------------------------------

@transaction.atomic
def case_open(*, actor: User, worker: Membership, route_slug: str, today: dt.date,
              reason: str = "", statement: str = "",
              flags: Iterable[str] = ()) -> ProgressionCase:
    """Open a case on ``route_slug`` under the pack version in force ``today``.

    ``flags``: case flags the route offers (``Route.flags``), e.g. Halton's
    progression-requested (HALTON-04), which switch the pack's conditional requirements on.

    Route opening conditions from the pack: a required reason (Derbyshire without-ASYE,
    DERBY-09) and team tags (Lincolnshire FAST/CWD, LINCS-04). A route with an expression of
    intent (NELC-23) starts with the worker's statement, awaiting the line manager's support.
    """
    version = pack_version_in_force(council=worker.council, on=today)
    if version is None:
        raise ValidationError("Your council has no rule pack in force yet, so no route can "
                              "be started.")
    pack = pack_of_version(version)
    route = _route(pack, route_slug)
    errors: dict[str, str] = {}
    opening = route.opening
    if opening is not None:
        if opening.reason_required and not reason.strip():
            errors["reason"] = (f"Give the reason for this route: "
                                f"{opening.reason_label or 'the reason'} "
                                f"({', '.join(opening.rules)}).")
        if opening.team_tags_any:
            tags = set(worker.team.tags) if worker.team_id else set()
            if not tags & set(opening.team_tags_any):
                errors["route_slug"] = (
                    "This route is open only to teams tagged "
                    + " or ".join(t.upper() for t in opening.team_tags_any)
                    + f" ({', '.join(opening.rules)}); your team is not.")
    flags = sorted(set(flags))
    unknown_flags = set(flags) - set(route.flags)
    if unknown_flags:
        errors["flags"] = "This route does not offer: " + ", ".join(sorted(unknown_flags)) + "."
    if route.expression_of_intent is not None and not statement.strip():
        errors["statement"] = ("Write your expression of intent: why you are ready "
                               f"({', '.join(route.expression_of_intent.rules)}).")
    if errors:
        raise ValidationError(errors)
    open_cases = ProgressionCase.objects.select_for_update(of=("self",)).filter(
        council=worker.council, worker=worker, route_slug=route_slug).exclude(
        status=CaseStatus.CLOSED)
    if open_cases.exists():
        raise ValidationError({"route_slug": "You already have an open case on this route."})
    eoi = route.expression_of_intent
    case = ProgressionCase(
        council=worker.council, worker=worker, route_slug=route_slug, pack_version=version,
        status=CaseStatus.AWAITING_SUPPORT if eoi and eoi.support_role else CaseStatus.BUILDING,
        opening_reason=reason.strip(), opened_by=actor, flags=flags,
    )
    case.full_clean()
    case.save()
    if eoi is not None:
        ExpressionOfIntent.objects.create(council=case.council, case=case,
                                          statement=statement.strip())
    if case.status == CaseStatus.BUILDING:
        _portfolio_new(case, 1)
    audit_log(council=case.council, actor=actor, action="case.opened", obj=case,
              affected_user=worker.user,
              data={"after": {"route": route_slug, "pack_version": version.version,
                              "reason": case.opening_reason, "flags": flags}})
    return case


def _portfolio_new(case: ProgressionCase, number: int) -> Portfolio:
    portfolio = Portfolio(council=case.council, case=case, number=number)
    portfolio.full_clean()
    portfolio.save()
    return portfolio


# -- expression of intent (NELC-23..25) -------------------------------------------------

def _eoi_roles(case: ProgressionCase, actor: Membership, which: str) -> None:
    pack, route = case_pack(case)
    eoi = route.expression_of_intent
    if eoi is None:
        raise ValidationError("This route has no expression of intent.")
    role = eoi.support_role if which == "support" else eoi.approver_role
    if role is None or not case_access(actor, case).may_sign_as(role):
        raise PermissionDenied(f"Only the worker's {role} may do this ({', '.join(eoi.rules)}).")


@transaction.atomic
def eoi_support(*, actor: Membership, case: ProgressionCase, reasons: str = "") -> None:
    """The line manager supports the expression of intent (NELC-23)."""
    case = _lock(case)
    _eoi_roles(case, actor, "support")
    _move(case, CaseStatus.AWAITING_APPROVAL)
    eoi = case.expression_of_intent
    eoi.support_decision, eoi.support_reasons = SupportDecision.SUPPORTED, reasons.strip()
    eoi.supported_by, eoi.supported_at = actor, timezone.now()
    eoi.full_clean()
    eoi.save()
    case.save(update_fields=["status"])
    audit_log(council=case.council, actor=actor.user, action="eoi.supported", obj=eoi,
              affected_user=case.worker.user, data={"after": {"reasons": eoi.support_reasons}})


@transaction.atomic
def eoi_decline(*, actor: Membership, case: ProgressionCase, reasons: str) -> None:
    """The line manager declines support, with the development areas (NELC-24)."""
    case = _lock(case)
    _eoi_roles(case, actor, "support")
    _, route = case_pack(case)
    if not route.expression_of_intent.decline_allowed:
        raise ValidationError("Support cannot be declined on this route.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Say why support is declined and which development "
                                          "areas supervision will set (NELC-24)."})
    _move(case, CaseStatus.DECLINED)
    eoi = case.expression_of_intent
    eoi.support_decision, eoi.support_reasons = SupportDecision.DECLINED, reasons.strip()
    eoi.supported_by, eoi.supported_at = actor, timezone.now()
    eoi.save()
    case.save(update_fields=["status"])
    audit_log(council=case.council, actor=actor.user, action="eoi.declined", obj=eoi,
              affected_user=case.worker.user, data={"after": {"reasons": eoi.support_reasons}})


@transaction.atomic
def eoi_submit(*, actor: Membership, case: ProgressionCase, statement: str) -> None:
    """The worker rewrites a declined expression of intent and sends it again."""
    case = _lock(case)
    if actor.pk != case.worker_id:
        raise PermissionDenied("Only the worker writes their expression of intent.")
    if not statement.strip():
        raise ValidationError({"statement": "Write your expression of intent."})
    _move(case, CaseStatus.AWAITING_SUPPORT)
    eoi = case.expression_of_intent
    eoi.statement, eoi.written_at = statement.strip(), timezone.now()
    eoi.support_decision, eoi.support_reasons, eoi.supported_by, eoi.supported_at = (
        "", "", None, None)
    eoi.save()
    case.save(update_fields=["status"])
    audit_log(council=case.council, actor=actor.user, action="eoi.submitted", obj=eoi)


@transaction.atomic
def eoi_approve(*, actor: Membership, case: ProgressionCase, today: dt.date) -> None:
    """The team manager approves a supported expression of intent (NELC-23); the portfolio is
    due within the commitment window (NELC-25, engine ``eoi_schedule``)."""
    case = _lock(case)
    _eoi_roles(case, actor, "approve")
    _move(case, CaseStatus.BUILDING)
    pack, route = case_pack(case)
    eoi = case.expression_of_intent
    eoi.approved_by, eoi.approved_at = actor, timezone.now()
    eoi.portfolio_due_on = engine.eoi_schedule(pack, route.slug, today, today).due_on
    eoi.save()
    case.save(update_fields=["status"])
    _portfolio_new(case, 1)
    audit_log(council=case.council, actor=actor.user, action="eoi.approved", obj=eoi,
              affected_user=case.worker.user,
              data={"after": {"due_on": str(eoi.portfolio_due_on)}})


# -- bookings, lead assessor, draws -----------------------------------------------------

@transaction.atomic
def booking_confirm(*, actor: Membership, case: ProgressionCase, sitting: str,
                    submission_due_on: dt.date | None, seed: str | None = None) -> None:
    """A council administrator confirms a booking: the sitting (a date or YYYY-MM month) and
    the submission date (LINCS-06). Sign-offs that block booking must be in place (LINCS-05).
    Where the route allocates framework items, the engine's seeded draw chooses them and the
    draw is recorded (LINCS-07); the worker cannot choose them."""
    case = _lock(case)
    if Role.COUNCIL_ADMIN not in roles_of(actor):
        raise PermissionDenied("Only a council administrator confirms bookings.")
    pack, route = case_pack(case)
    portfolio = Portfolio.objects.filter(council=case.council, case=case, is_current=True).first()
    missing = []
    if portfolio is not None:
        overview = portfolio_overview(case, timezone.localdate(), portfolio)
        missing = [s for s in overview.signoffs if s.applies and s.spec.blocks == "booking"
                   and s.current is None]
    if missing:
        raise ValidationError("The booking needs first: " + "; ".join(
            f"the {s.spec.role} {s.spec.action} {s.spec.subject} ({', '.join(s.spec.rules)})"
            for s in missing))
    try:
        sitting_validator(sitting)
        sitting_on = sitting if len(sitting) == 7 else dt.date.fromisoformat(sitting)
    except (ValidationError, ValueError) as error:
        raise ValidationError({"sitting": "Enter the sitting as a date (YYYY-MM-DD) or a "
                                          "month (YYYY-MM)."}) from error
    record = CareerRecord.objects.filter(council=case.council, membership=case.worker).first()
    person = person_record_for(case.worker, on=timezone.localdate(), record=record,
                               flags=tuple(case.flags))
    if route.eligibility:
        eligibility = engine.sitting_eligibility(pack, route.slug, person, sitting_on)
        if not eligibility.eligible:
            raise ValidationError({"sitting": "The worker is not eligible for this sitting: "
                                   + "; ".join(f"{r.message} ({r.rule})"
                                               for r in eligibility.reasons)})
    case.sitting = sitting
    case.submission_due_on = submission_due_on
    if submission_due_on and len(sitting) == 10 and submission_due_on > sitting_date(sitting):
        raise ValidationError({"submission_due_on": "The submission date must be on or before "
                                                    "the sitting."})
    allocating = any(s.method == "allocated" for s in route.selections)
    if allocating and not case.allocated_kss:
        seed = seed or secrets.token_hex(8)
        allocated, d = engine.framework_allocation(pack, route.slug, seed)
        case.allocated_kss = list(allocated)
        case.kss_draw = {"pool": list(d.pool), "seed": d.seed, "chosen": list(d.chosen),
                         "by": actor.user_id, "at": timezone.now().isoformat()}
    case.full_clean()
    case.save()
    audit_log(council=case.council, actor=actor.user, action="case.booking_confirmed",
              obj=case, affected_user=case.worker.user,
              data={"after": {"sitting": sitting, "submission_due_on": str(submission_due_on),
                              "allocated_kss": case.allocated_kss, "draw": case.kss_draw}})


@transaction.atomic
def lead_assessor_appoint(*, actor: Membership, case: ProgressionCase,
                          assessor: Membership) -> None:
    """Appoint the case's lead assessor from the pack's eligible roles (NELC-26)."""
    case = _lock(case)
    _, route = case_pack(case)
    if route.lead_assessor is None:
        raise ValidationError("This route has no lead assessor.")
    allowed = route.lead_assessor.appointed_by
    roles = roles_of(actor)
    if Role.COUNCIL_ADMIN not in roles and (allowed is None or allowed not in roles):
        raise PermissionDenied("You may not appoint the lead assessor.")
    if assessor.council_id != case.council_id or assessor.pk == case.worker_id:
        raise ValidationError({"assessor": "Choose someone else in this council."})
    if not roles_of(assessor) & set(route.lead_assessor.eligible_roles):
        raise ValidationError({"assessor": "The lead assessor must be one of: "
                               + ", ".join(route.lead_assessor.eligible_roles)
                               + f" ({', '.join(route.lead_assessor.rules)})."})
    before = case.lead_assessor_id
    case.lead_assessor = assessor
    case.save(update_fields=["lead_assessor"])
    audit_log(council=case.council, actor=actor.user, action="case.lead_assessor_appointed",
              obj=case, affected_user=case.worker.user,
              data={"before": before, "after": assessor.pk})


@transaction.atomic
def case_files_draw(*, actor: Membership, case: ProgressionCase, caseload: Iterable[str],
                    worker_chosen: Iterable[str], seed: str | None = None) -> engine.Draw:
    """The lead assessor's random case files (NELC-28: 3 at random, excluding the worker's
    2), drawn by the engine with a recorded seed so it can be replayed."""
    case = _lock(case)
    if not case_access(actor, case).is_lead_assessor:
        raise PermissionDenied("Only the case's lead assessor draws the case files.")
    pack, route = case_pack(case)
    chosen = [c.strip() for c in worker_chosen if c.strip()]
    pool = [c.strip() for c in caseload if c.strip()]
    worker_part = next((p for s in route.selections for p in s.parts
                        if p.method == "worker-choice"), None)
    if worker_part is not None and len(chosen) != worker_part.count:
        raise ValidationError({"worker_chosen": f"The worker chooses {worker_part.count} case "
                                                "files."})
    seed = seed or secrets.token_hex(8)
    try:
        d = engine.random_case_draw(pack, route.slug, pool, chosen, seed)
    except (KeyError, ValueError) as error:
        raise ValidationError({"caseload": str(error)}) from error
    case.case_file_draw = {"pool": list(d.pool), "seed": d.seed, "chosen": list(d.chosen),
                           "worker_chosen": chosen, "by": actor.user_id,
                           "at": timezone.now().isoformat()}
    case.save(update_fields=["case_file_draw"])
    audit_log(council=case.council, actor=actor.user, action="case.case_files_drawn",
              obj=case, data={"after": case.case_file_draw})
    return d


# -- evidence --------------------------------------------------------------------------

def _editable_portfolio(actor: Membership, case: ProgressionCase) -> Portfolio:
    if actor.pk != case.worker_id:
        raise PermissionDenied("Only the worker adds and changes their evidence.")
    if case.status != CaseStatus.BUILDING:
        raise ValidationError(f"The portfolio cannot be changed while the case is "
                              f"'{case.get_status_display()}'.")
    return Portfolio.objects.select_for_update(of=("self",)).get(council=case.council, case=case,
                                                     is_current=True)


def _framework_versions(kss: list, pcf: list) -> dict[str, str]:
    wanted = [s for s, used in ((fw.KSS_CHILD_FAMILY, kss), (fw.PCF, pcf)) if used]
    versions: dict[str, str] = {}
    for row in Framework.objects.filter(slug__in=wanted).order_by("slug", "version"):
        versions[row.slug] = row.version  # the newest version (ordered last) wins
    for slug in wanted:
        versions.setdefault(slug, "unversioned")
    return versions


def _clean_tags(route: Route, kind: str, kss: list, pcf: list) -> tuple[list[int], list[str]]:
    kinds = {e.kind for e in route.evidence}
    if kind not in kinds:
        raise ValidationError({"kind": "Choose a kind of evidence this route asks for."})
    try:
        for k in kss:
            fw.check_framework_item(fw.KSS_CHILD_FAMILY, k)
        pcf = [fw.pcf_domain_slug(p) for p in pcf]
    except ValueError as error:
        raise ValidationError({"kss": str(error)}) from error
    return sorted(set(kss)), sorted(set(pcf))


def _item_fields(route: Route, kind: str, topic: str) -> list[str]:
    return sorted({f for e in route.evidence if e.kind == kind
                   and (e.topic is None or not topic or e.topic == topic)
                   for f in e.mandatory_fields})


def _void_changed(portfolio: Portfolio, actor: User, why: str) -> list[SignOff]:
    """Void every live sign-off whose content digest no longer matches (visibly, audited)."""
    items = live_items(portfolio)
    voided = []
    for signoff in SignOff.objects.select_for_update(of=("self",)).filter(
            council_id=portfolio.council_id, portfolio=portfolio, voided_at__isnull=True,
            covers_content=True):
        if content_digest(signoff.subject, items) != signoff.digest:
            signoff.voided_at = timezone.now()
            signoff.void_reason = why
            signoff.save(update_fields=["voided_at", "void_reason"])
            audit_log(council=portfolio.council, actor=actor, action="signoff.voided",
                      obj=signoff, data={"reason": why})
            voided.append(signoff)
    return voided


def evidence_add_file(*, actor: Membership, case: ProgressionCase, upload: UploadedFile,
                      kind: str, title: str, practice_on: dt.date, kss: list | None = None,
                      pcf: list | None = None, topic: str = "", by_role: str = "",
                      filled_fields: list | None = None, consent_worker: bool = False,
                      consent_observed: bool = False, consent_note: str = ""
                      ) -> EvidenceItem:
    """Check and store an uploaded file as evidence (streamed, type from content, SHA-256).
    Nothing is stored when anything is refused. Video/audio only for observations with the
    consent of the worker and of the person observed recorded."""
    stored: files.StoredFile | None = None
    try:
        with transaction.atomic():
            case = _lock(case)
            portfolio = _editable_portfolio(actor, case)
            _, route = case_pack(case)
            kss_list, pcf_list = _clean_tags(route, kind, kss or [], pcf or [])
            stored = files.store_upload(upload, kind=kind,
                                        recording_allowed=consent_worker and consent_observed)
            if stored.content_type in files.RECORDING_TYPES and not consent_note.strip():
                consent_note = "Consent of the worker and the person observed recorded."
            item = EvidenceItem(
                council=case.council, portfolio=portfolio, kind=kind, topic=topic,
                title=title.strip(), practice_on=practice_on, kss=kss_list, pcf=pcf_list,
                framework_versions=_framework_versions(kss_list, pcf_list), by_role=by_role,
                filled_fields=sorted(set(filled_fields or [])), file=stored.name,
                original_name=stored.original_name, content_type=stored.content_type,
                size=stored.size, sha256=stored.sha256, consent_worker=consent_worker,
                consent_observed=consent_observed, consent_note=consent_note.strip(),
                created_by=actor.user,
            )
            item.full_clean()
            item.save()
            _void_changed(portfolio, actor.user, f"Evidence added: {item.title}")
            audit_log(council=case.council, actor=actor.user, action="evidence.added",
                      obj=item, data={"after": {"kind": kind, "sha256": stored.sha256,
                                                "size": stored.size,
                                                "content_type": stored.content_type}})
            return item
    except BaseException:
        if stored is not None:
            files.delete_stored(stored.name)
        raise


@transaction.atomic
def evidence_add_statement(*, actor: Membership, case: ProgressionCase, kind: str, title: str,
                           practice_on: dt.date, statement: str, kss: list | None = None,
                           pcf: list | None = None, topic: str = "", by_role: str = "",
                           filled_fields: list | None = None,
                           anonymised: bool | None = None) -> EvidenceItem:
    """A written statement typed in the browser; its words are counted."""
    case = _lock(case)
    portfolio = _editable_portfolio(actor, case)
    _, route = case_pack(case)
    if not statement.strip():
        raise ValidationError({"statement": "Write the statement."})
    kss_list, pcf_list = _clean_tags(route, kind, kss or [], pcf or [])
    item = EvidenceItem(
        council=case.council, portfolio=portfolio, kind=kind, topic=topic, title=title.strip(),
        practice_on=practice_on, kss=kss_list, pcf=pcf_list,
        framework_versions=_framework_versions(kss_list, pcf_list), by_role=by_role,
        filled_fields=sorted(set(filled_fields or [])), anonymised=anonymised,
        statement=statement.strip(), words=word_count(statement), created_by=actor.user,
    )
    item.full_clean()
    item.save()
    _void_changed(portfolio, actor.user, f"Evidence added: {item.title}")
    audit_log(council=case.council, actor=actor.user, action="evidence.added", obj=item,
              data={"after": {"kind": kind, "words": item.words}})
    return item


UPDATABLE = ("title", "practice_on", "kss", "pcf", "topic", "by_role", "filled_fields",
             "statement", "anonymised")


@transaction.atomic
def evidence_update(*, actor: Membership, item: EvidenceItem, changes: dict) -> list[SignOff]:
    """Change an item's description or statement; sign-offs that saw the old content are
    voided (returned)."""
    case = _lock(item.portfolio.case)
    portfolio = _editable_portfolio(actor, case)
    item = EvidenceItem.objects.select_for_update(
        of=("self",)).get(council=case.council, pk=item.pk,
                                                        portfolio=portfolio)
    _, route = case_pack(case)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    before = {k: getattr(item, k) for k in changes}
    for name, value in changes.items():
        setattr(item, name, value)
    if item.is_file and item.statement:
        raise ValidationError({"statement": "A file item has no written statement."})
    item.kss, item.pcf = _clean_tags(route, item.kind, list(item.kss), list(item.pcf))
    if not item.is_file:
        if not item.statement.strip():
            raise ValidationError({"statement": "Write the statement."})
        item.words = word_count(item.statement)
    item.framework_versions = _framework_versions(item.kss, item.pcf)
    item.updated_at = timezone.now()
    item.full_clean()
    item.save()
    voided = _void_changed(portfolio, actor.user, f"Evidence changed: {item.title}")
    audit_log(council=case.council, actor=actor.user, action="evidence.updated", obj=item,
              data={"before": {k: str(v) for k, v in before.items()},
                    "after": {k: str(getattr(item, k)) for k in changes}})
    return voided


@transaction.atomic
def evidence_remove(*, actor: Membership, item: EvidenceItem) -> None:
    """Take an item out of the current portfolio (kept for the record, marked removed)."""
    case = _lock(item.portfolio.case)
    portfolio = _editable_portfolio(actor, case)
    item = EvidenceItem.objects.select_for_update(
        of=("self",)).get(council=case.council, pk=item.pk,
                                                        portfolio=portfolio)
    item.removed_at = timezone.now()
    item.save(update_fields=["removed_at"])
    _void_changed(portfolio, actor.user, f"Evidence removed: {item.title}")
    audit_log(council=case.council, actor=actor.user, action="evidence.removed", obj=item)


# -- sign-offs and submission ----------------------------------------------------------

@transaction.atomic
def signoff_record(*, actor: Membership, case: ProgressionCase, index: int, role: str,
                   comment: str = "") -> SignOff:
    """Sign the pack's sign-off number ``index`` of the route in ``role`` (the pack's role or
    an alternative). The signature keeps the digest of the content it saw."""
    case = _lock(case)
    _, route = case_pack(case)
    if not 0 <= index < len(route.signoffs) or route.signoffs[index].blocks == "eoi":
        raise ValidationError("No such sign-off on this route.")
    spec = route.signoffs[index]
    if role not in (spec.role, *spec.alternatives):
        raise ValidationError({"role": "Sign in one of the roles this sign-off names."})
    if not case_access(actor, case).may_sign_as(role):
        raise PermissionDenied(f"You cannot sign as {role} for this case.")
    if case.status != CaseStatus.BUILDING:
        raise ValidationError("Sign-offs are given while the portfolio is being built.")
    portfolio = Portfolio.objects.select_for_update(
        of=("self",)).get(council=case.council, case=case,
                                                          is_current=True)
    subject = spec.subject or "portfolio"
    # A readiness decision before booking is about the worker, not the portfolio's content.
    covers = spec.blocks != "booking"
    signoff = SignOff(council=case.council, portfolio=portfolio, role=role, action=spec.action,
                      subject=subject, rules=", ".join(spec.rules), signer=actor,
                      digest=content_digest(subject, live_items(portfolio) if covers else []),
                      covers_content=covers, comment=comment.strip())
    signoff.full_clean()
    signoff.save()
    audit_log(council=case.council, actor=actor.user, action="signoff.recorded", obj=signoff,
              affected_user=case.worker.user,
              data={"after": {"role": role, "action": spec.action, "subject": subject,
                              "digest": signoff.digest}})
    return signoff


def _next_sitting_words(pack: RulePack, route: Route, sitting: str) -> str:
    """", or book the next sitting, <when>": the pack's next sitting after the booked one
    (empty when the calendar names none, e.g. sittings the administrator schedules)."""
    cal = route.calendar
    if cal is None or cal.kind != "month-only":
        return ""
    after = add_months(sitting_date(sitting).replace(day=1), 1)
    nxt = engine.next_submission(pack, route.slug, after).next_on
    if isinstance(nxt, str):
        when = dt.date.fromisoformat(nxt + "-01").strftime("%B %Y")
    elif isinstance(nxt, dt.date):
        when = f"{nxt:%-d %B %Y}"
    else:
        return ""
    return f", or book the next sitting, {when}"


def _eligibility_problems(case: ProgressionCase, overview) -> list[str]:
    """Route eligibility on the date the submission is for (DERBY-01: 12 months pro rata by
    the submission date; booked sittings: on the sitting, as at booking)."""
    pack, route = overview.pack, overview.route
    if not route.eligibility:
        return []
    record = CareerRecord.objects.filter(council=case.council, membership=case.worker).first()
    if case.sitting:
        sitting_on = case.sitting if len(case.sitting) == 7 else sitting_date(case.sitting)
        person = person_record_for(case.worker, on=sitting_date(case.sitting), record=record,
                                   flags=tuple(case.flags))
        result = engine.sitting_eligibility(pack, route.slug, person, sitting_on)
    elif overview.submit_on is not None:
        person = person_record_for(case.worker, on=overview.submit_on, record=record,
                                   flags=tuple(case.flags))
        result = engine.route_eligibility(pack, route.slug, person, overview.submit_on)
    else:
        return []
    return [f"Not eligible for this route: {r.message} ({r.rule})." for r in result.reasons]


def submission_problems(case: ProgressionCase, today: dt.date,
                        anonymisation_attested: bool) -> list[str]:
    """Every reason the portfolio cannot be submitted today, in plain words (empty: it can)."""
    overview = portfolio_overview(case, today)
    pack, route = overview.pack, overview.route
    problems: list[str] = []
    if case.status != CaseStatus.BUILDING:
        problems.append(f"The case is '{case.get_status_display()}', not being built.")
    cal = route.calendar
    windows = (cal is not None and cal.what == "submission"
               and cal.kind in ("fixed-dates", "nth-weekday"))
    if windows:
        target = overview.submit_on
        if case.intended_submission_on and case.intended_submission_on < today:
            nxt = engine.next_submission(pack, route.slug, today).next_on
            problems.append(f"The submission window of {case.intended_submission_on:%-d %B %Y}"
                            f" has passed; the next is {nxt:%-d %B %Y} "
                            f"({', '.join(cal.rules)}).")
        elif target is None:
            problems.append("The route has no submission window.")
    else:
        if not case.sitting:
            problems.append("No sitting is booked for this case yet: submission is to a "
                            "booked sitting.")
        else:
            due = case.submission_due_on or sitting_date(case.sitting)
            if today > due and (cal is None or cal.submission_late != "next-window"):
                problems.append(f"The submission date {due:%-d %B %Y} has passed; late "
                                "portfolios are refused unless the case is reopened"
                                + (f" ({', '.join(cal.rules)})" if cal else "")
                                + _next_sitting_words(pack, route, case.sitting) + ".")
    problems.extend(_eligibility_problems(case, overview))
    if overview.checklist is not None and not overview.checklist.complete:
        for req, status, *_ in overview.requirements:
            if status.applies and status.blocking and status.missing:
                problems.append(f"{req.title or req.kind} ({status.rule}): "
                                + "; ".join(plain(m) for m in status.missing) + ".")
    for s in overview.blocking_signoffs_missing:
        voided = " (an earlier sign-off was voided by a content change)" if s.voided else ""
        problems.append(f"Sign-off missing: your {role_words(s.spec.role)} {s.spec.action} the "
                        f"{slug_words(s.spec.subject or 'portfolio')} "
                        f"({', '.join(s.spec.rules)}){voided}.")
    needs_attestation = any(e.anonymisation_attestation for e in route.evidence)
    if needs_attestation and not anonymisation_attested:
        rules = sorted({r for e in route.evidence if e.anonymisation_attestation
                        for r in e.rules})
        problems.append("Confirm that the portfolio is fully anonymised "
                        f"({', '.join(rules)}).")
    return problems


@transaction.atomic
def portfolio_submit(*, actor: Membership, case: ProgressionCase, today: dt.date,
                     anonymisation_attested: bool = False) -> Submission:
    """Submit the current portfolio: refused with every precise reason unless in a window or
    to a booked sitting, the checklist complete and the blocking sign-offs present. Freezes
    a manifest of items and digests as a numbered submission."""
    case = _lock(case)
    if actor.pk != case.worker_id:
        raise PermissionDenied("Only the worker submits their portfolio.")
    problems = submission_problems(case, today, anonymisation_attested)
    if problems:
        raise ValidationError(problems)
    portfolio = Portfolio.objects.select_for_update(
        of=("self",)).get(council=case.council, case=case,
                                                          is_current=True)
    items = live_items(portfolio)
    if anonymisation_attested:
        for item in items:
            if item.anonymised is None:
                item.anonymised = True
                item.save(update_fields=["anonymised"])
    manifest = [{"id": i.pk, "kind": i.kind, "title": i.title,
                 "practice_on": i.practice_on.isoformat(), "kss": i.kss, "pcf": i.pcf,
                 "sha256": i.sha256 or hashlib.sha256(i.statement.encode()).hexdigest(),
                 "digest": item_digest(i), "original_name": i.original_name,
                 "words": i.words} for i in items]
    overview_target = portfolio_overview(case, today, portfolio).submit_on
    submission = Submission(
        council=case.council, portfolio=portfolio, number=portfolio.number, manifest=manifest,
        manifest_digest=hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()
                                       ).hexdigest(),
        submit_for=case.sitting or (overview_target.isoformat() if overview_target else ""),
        submitted_by=actor.user, anonymisation_attested=anonymisation_attested,
    )
    # An empty manifest is valid: a route whose pack asks no portfolio evidence (Halton's
    # ASYE panel without a progression request) is still submitted to its sitting.
    submission.full_clean(exclude=["manifest"])
    submission.save()
    _move(case, CaseStatus.SUBMITTED)
    case.save(update_fields=["status"])
    audit_log(council=case.council, actor=actor.user, action="portfolio.submitted",
              obj=submission, affected_user=case.worker.user,
              data={"after": {"number": submission.number, "items": len(manifest),
                              "manifest_digest": submission.manifest_digest}})
    return submission


@transaction.atomic
def portfolio_return(*, actor: Membership, case: ProgressionCase, reason: str) -> Portfolio:
    """Return a submitted portfolio (adjourned or deferred): a new version opens with copies
    of the items; the submitted version stays readable and unchanged."""
    case = _lock(case)
    access = case_access(actor, case)
    if not (access.manage or access.is_lead_assessor
            or any(check(actor, case) for check in PANEL_RETURN)):
        raise PermissionDenied("Only a council administrator, the lead assessor or the chair "
                               "of the panel that heard it returns a portfolio.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the portfolio is returned."})
    _move(case, CaseStatus.RETURNED)
    old = Portfolio.objects.select_for_update(of=("self",)).get(council=case.council, case=case,
                                                    is_current=True)
    submission = Submission.objects.get(council=case.council, portfolio=old)
    submission.returned_at, submission.return_reason = timezone.now(), reason.strip()
    submission.save(update_fields=["returned_at", "return_reason"])
    old.is_current = False
    old.save(update_fields=["is_current"])
    new = _portfolio_new(case, old.number + 1)
    copies = []
    for item in live_items(old):
        item.pk = None
        item.portfolio = new
        copies.append(item)
    EvidenceItem.objects.bulk_create(copies)
    _move(case, CaseStatus.BUILDING)
    case.save(update_fields=["status"])
    audit_log(council=case.council, actor=actor.user, action="portfolio.returned", obj=new,
              affected_user=case.worker.user,
              data={"before": old.number, "after": new.number, "reason": reason.strip()})
    return new


@transaction.atomic
def intended_submission_set(*, actor: Membership, case: ProgressionCase,
                            on: dt.date, today: dt.date) -> None:
    """The worker picks the submission window they aim for (a window date of the pack)."""
    case = _lock(case)
    if actor.pk != case.worker_id:
        raise PermissionDenied("Only the worker chooses their window.")
    pack, route = case_pack(case)
    windows = upcoming_windows(pack, route, today)
    if on not in windows:
        raise ValidationError({"on": "Choose one of the submission windows listed."})
    before = case.intended_submission_on
    case.intended_submission_on = on
    case.save(update_fields=["intended_submission_on"])
    audit_log(council=case.council, actor=actor.user, action="case.window_chosen", obj=case,
              data={"before": str(before), "after": str(on)})


def upcoming_windows(pack: RulePack, route: Route, today: dt.date, count: int = 3
                     ) -> list[dt.date]:
    """The next ``count`` submission window dates of a windowed route (engine calendar)."""
    out: list[dt.date] = []
    day = today
    while len(out) < count:
        nxt = engine.next_submission(pack, route.slug, day).next_on
        if not isinstance(nxt, dt.date):
            break
        out.append(nxt)
        day = nxt + dt.timedelta(days=1)
    return out

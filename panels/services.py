"""Writes of sittings, agendas, QA, decisions, appeals and the pay-change ledger.

Each service is keyword-only, atomic, locks what it changes, validates (``full_clean``) and
leaves an audit event. What a council allows comes from the case's rule pack version through
the engine (``outcome_problems``, ``decision_effect``, ``appeal_due``,
``appeal_panel_setup_due``, ``appeal_panel_conflicts``); refusals are ``ValidationError``
in plain words naming the rule. The decision record's PDF is rendered by a Celery task
queued after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from councils.audit import audit_log
from councils.models import Council, Membership, Role
from councils.permissions import roles_of
from councils.rules.schema import Level, Route, RulePack
from councils.rules.selectors import pack_in_force
from panels import permissions as perms
from panels.models import (
    AgendaItem,
    Appeal,
    AppealPanelMember,
    AppealResult,
    Decision,
    DecisionRecord,
    ExportFormat,
    PanelMember,
    PanelSitting,
    PayChange,
    PayChangeStatus,
    PayExportBatch,
    QARecord,
    ScoreRecord,
)
from panels.selectors import (
    INTERIM_OUTCOMES,
    RETURN_OUTCOMES,
    blocking_qa_missing,
    case_roles,
    listing_problems,
    qa_recorded_stages,
    route_of_case,
)
from portfolios.models import CaseStatus, ProgressionCase
from portfolios.services import portfolio_return
from progression import engine
from progression.engine.outcomes import appeal_rule
from progression.models import CareerRecord

QA_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.LEARNING_AND_DEVELOPMENT,
                      Role.PRINCIPAL_SOCIAL_WORKER, Role.ASYE_LEAD})


def _rules(rules: Iterable[str]) -> str:
    return ", ".join(rules)


def _lock_case(case: ProgressionCase) -> ProgressionCase:
    return ProgressionCase.objects.select_for_update(of=("self",)).select_related(
        "pack_version", "worker__user").get(council_id=case.council_id, pk=case.pk)


def _lock_sitting(sitting: PanelSitting) -> PanelSitting:
    return PanelSitting.objects.select_for_update(of=("self",)).get(council_id=sitting.council_id,
                                                        pk=sitting.pk)


def _level(pack: RulePack, slug: str) -> Level | None:
    return next((lv for lv in pack.levels if lv.slug == slug), None)


# -- sittings -------------------------------------------------------------------------------

def _panel_roles(pack: RulePack, routes: list[str]) -> tuple[set[str], set[str]]:
    """(member roles, chair roles) the pack names for the routes' panels; co-opted roles
    (LINCS-20 HR) may sit too. A chair designated by the administrator may be any member."""
    members: set[str] = {Role.PANEL_MEMBER, Role.PANEL_CHAIR}
    chairs: set[str] = set()
    designated = False
    for route in pack.routes:
        if route.slug not in routes:
            continue
        # Whoever the pack says decides an outcome (DERBY-07 learning and development) sits.
        members |= {o.decided_by for o in route.outcomes if o.decided_by}
        panel = route.panel
        if panel is None:
            designated = True
            continue
        members |= {m.role for m in panel.members} | set(panel.co_optable)
        if panel.chair_role and not panel.chair_designated_by_admin:
            chairs.add(panel.chair_role)
        else:
            designated = True
    return members, (set() if designated else chairs)


@transaction.atomic
def sitting_schedule(*, actor: Membership, council: Council, name: str, routes: list[str],
                     sitting_on: dt.date | None, month: str, chair: Membership,
                     members: list[tuple[Membership, str]], additional: bool = False,
                     today: dt.date) -> PanelSitting:
    """Schedule a sitting for ``routes`` of the pack in force: dated, or by month only until
    the date is set (CONV-06, LINCS-19; ``additional`` for an extra sitting). The chair is
    designated here (LINCS-20, HALTON-05) and must hold the pack's chair role where the
    pack names one (NELC-38 principal social worker); members sit in the pack's panel roles.
    """
    if not perms.can_manage_sittings(actor):
        raise PermissionDenied("Only a council administrator schedules sittings.")
    pack = pack_in_force(council=council, on=today)
    if pack is None:
        raise ValidationError("Your council has no rule pack in force yet.")
    known = {r.slug for r in pack.routes}
    errors: dict[str, str] = {}
    if not routes or set(routes) - known:
        errors["routes"] = "Choose one or more routes of your council's rule pack."
    if sitting_on is None and not month:
        errors["sitting_on"] = "Enter the sitting date, or at least its month."
    if sitting_on is not None and month and month != f"{sitting_on:%Y-%m}":
        errors["month"] = "The month must be the month of the sitting date."
    member_roles, chair_roles = _panel_roles(pack, routes)
    people = [(m, r) for m, r in members if m is not None]
    for m in [chair, *(p for p, _ in people)]:
        if m.council_id != council.pk or not m.is_active:
            errors["chair"] = "Choose people of this council."
    if chair_roles and not roles_of(chair) & chair_roles:
        errors["chair"] = ("The chair must be the "
                           + " or ".join(sorted(chair_roles)) + " the pack names.")
    for _m, role in people:
        if role not in member_roles:
            errors["members"] = (f"{role} is not a panel role for these routes; choose from "
                                 + ", ".join(sorted(member_roles)) + ".")
    if errors:
        raise ValidationError(errors)
    sitting = PanelSitting(council=council, name=name.strip(), routes=sorted(set(routes)),
                           sitting_on=sitting_on,
                           month=month or (f"{sitting_on:%Y-%m}" if sitting_on else ""),
                           additional=additional, chair=chair, created_by=actor.user)
    sitting.full_clean()
    sitting.save()
    seen = {chair.pk}
    rows = [PanelMember(council=council, sitting=sitting, membership=chair,
                        role=Role.PANEL_CHAIR)]
    for m, role in people:
        if m.pk not in seen:
            seen.add(m.pk)
            rows.append(PanelMember(council=council, sitting=sitting, membership=m, role=role))
    PanelMember.objects.bulk_create(rows)
    audit_log(council=council, actor=actor.user, action="sitting.scheduled", obj=sitting,
              data={"after": {"routes": sitting.routes, "on": str(sitting_on),
                              "month": sitting.month, "chair": chair.pk,
                              "members": [[r.membership_id, r.role] for r in rows],
                              "additional": additional}})
    return sitting


@transaction.atomic
def sitting_set_date(*, actor: Membership, sitting: PanelSitting, on: dt.date) -> None:
    """Fix the date of a month-only sitting (CONV-06); the date stays in its month."""
    sitting = _lock_sitting(sitting)
    if not perms.can_manage_sittings(actor):
        raise PermissionDenied("Only a council administrator sets the sitting date.")
    if sitting.month and f"{on:%Y-%m}" != sitting.month:
        raise ValidationError({"on": f"The date must be in the sitting's month "
                                     f"({sitting.when_label})."})
    before = str(sitting.sitting_on)
    sitting.sitting_on = on
    sitting.full_clean()
    sitting.save(update_fields=["sitting_on"])
    audit_log(council=sitting.council, actor=actor.user, action="sitting.dated", obj=sitting,
              data={"before": before, "after": str(on)})


@transaction.atomic
def sitting_close(*, actor: Membership, sitting: PanelSitting) -> list[engine.NotificationDue]:
    """The chair closes the sitting; letters run from the close (LINCS-23, CONV-03).
    Returns each route's outcome-letter deadlines for the agenda."""
    sitting = _lock_sitting(sitting)
    if not perms.can_decide_sitting(actor, sitting):
        raise PermissionDenied("Only the chair closes the sitting.")
    if sitting.closed_at is not None:
        raise ValidationError("The sitting is already closed.")
    sitting.closed_at = timezone.now()
    sitting.save(update_fields=["closed_at"])
    audit_log(council=sitting.council, actor=actor.user, action="sitting.closed", obj=sitting,
              data={"after": sitting.closed_at.isoformat()})
    return sitting_letter_deadlines(sitting)


def sitting_letter_deadlines(sitting: PanelSitting) -> list[engine.NotificationDue]:
    """Deadlines of the outcome letters after the close (engine ``notification_deadlines``)."""
    if sitting.closed_at is None:
        return []
    pack = pack_in_force(council=sitting.council, on=sitting.closed_at.date())
    if pack is None:
        return []
    out: list[engine.NotificationDue] = []
    at = timezone.localtime(sitting.closed_at)
    for route in pack.routes:
        if route.slug in sitting.routes:
            for event in {n.event for n in route.notifications if n.deadline is not None}:
                out += engine.notification_deadlines(pack, route.slug, event, at)
    return out


@transaction.atomic
def agenda_list_case(*, actor: Membership, sitting: PanelSitting,
                     case: ProgressionCase) -> AgendaItem:
    """List a submitted case on a sitting of its route, once the pack's listing conditions
    hold (blocking QA recorded, DERBY-06; every element scored, NELC-36; listing sign-offs,
    HALTON-04)."""
    sitting = _lock_sitting(sitting)
    case = _lock_case(case)
    if not perms.can_manage_sittings(actor):
        raise PermissionDenied("Only a council administrator lists cases.")
    if case.council_id != sitting.council_id:
        raise ValidationError("Choose a case of this council.")
    if case.route_slug not in sitting.routes:
        raise ValidationError({"case": "This sitting does not hear the case's route."})
    if case.status != CaseStatus.SUBMITTED:
        raise ValidationError({"case": "Only a submitted portfolio can be listed; this case "
                                       f"is '{case.get_status_display()}'."})
    if sitting.closed_at is not None:
        raise ValidationError("The sitting is closed.")
    problems = listing_problems(case)
    if problems:
        raise ValidationError(problems)
    item = AgendaItem(council=case.council, sitting=sitting, case=case, listed_by=actor.user)
    item.full_clean()
    item.save()
    audit_log(council=case.council, actor=actor.user, action="agenda.listed", obj=item,
              affected_user=case.worker.user, data={"after": {"sitting": sitting.pk}})
    return item


@transaction.atomic
def qa_record(*, actor: Membership, case: ProgressionCase, stage: str,
              note: str = "") -> QARecord:
    """Record a QA or moderation stage of the pack for a submitted case, in the pack's order
    (DERBY-06: ``eqap`` only after ``iqap``)."""
    case = _lock_case(case)
    if not roles_of(actor) & QA_ROLES or actor.pk == case.worker_id:
        raise PermissionDenied("You may not record quality assurance.")
    _, route = route_of_case(case)
    spec = next((q for q in route.qa_stages if q.slug == stage), None)
    if spec is None:
        raise ValidationError({"stage": "Choose a quality-assurance stage of this route."})
    if case.status != CaseStatus.SUBMITTED:
        raise ValidationError("Quality assurance is recorded on a submitted portfolio.")
    recorded = qa_recorded_stages(case)
    if stage in recorded:
        raise ValidationError({"stage": "This stage is already recorded."})
    earlier = [q.slug for q in route.qa_stages
               if q.blocking and q.order < spec.order and q.slug not in recorded]
    if earlier:
        raise ValidationError({"stage": f"Record {', '.join(earlier)} first "
                                        f"({_rules(spec.rules)})."})
    row = QARecord(council=case.council, case=case, stage=stage, note=note.strip(),
                   recorded_by=actor)
    row.full_clean()
    row.save()
    audit_log(council=case.council, actor=actor.user, action="qa.recorded", obj=row,
              affected_user=case.worker.user, data={"after": {"stage": stage}})
    return row


@transaction.atomic
def score_record(*, actor: Membership, case: ProgressionCase, element: str,
                 score: str) -> ScoreRecord:
    """The lead assessor scores one element of the pack's scoring (NELC-36)."""
    case = _lock_case(case)
    _, route = route_of_case(case)
    scoring = route.scoring
    if scoring is None or element not in scoring.elements:
        raise ValidationError({"element": "Choose a scoring element of this route."})
    if case.lead_assessor_id != actor.pk:
        raise PermissionDenied(f"Only the case's {scoring.scorer_role or 'lead assessor'} "
                               "scores it.")
    if not score.strip():
        raise ValidationError({"score": "Enter the score."})
    row, created = ScoreRecord.objects.get_or_create(
        council=case.council, case=case, element=element,
        defaults={"score": score.strip(), "recorded_by": actor})
    before = None
    if not created:
        before = row.score
        row.score, row.recorded_by, row.recorded_at = score.strip(), actor, timezone.now()
        row.full_clean()
        row.save(update_fields=["score", "recorded_by", "recorded_at"])
    audit_log(council=case.council, actor=actor.user, action="score.recorded", obj=row,
              data={"before": before, "after": {"element": element, "score": row.score}})
    return row


# -- decisions -------------------------------------------------------------------------------

def _career_record(case: ProgressionCase) -> CareerRecord:
    record = CareerRecord.objects.select_for_update(of=("self",)).filter(
        council_id=case.council_id, membership=case.worker).first()
    if record is None:
        record = CareerRecord(council_id=case.council_id, membership=case.worker)
    return record


def _apply_to_record(record: CareerRecord, pack: RulePack, level: str, pay_point: str,
                     actor: Membership, cause: str) -> None:
    """Move the career record to ``level`` with its grade and pay point, audited."""
    lv = _level(pack, level)
    before = {"level": record.current_level, "grade": record.grade_label,
              "scp": record.spinal_column_point}
    record.current_level = level
    if lv is not None and lv.grade_label:
        record.grade_label = lv.grade_label
    if pay_point:
        record.spinal_column_point = pay_point
    record.updated_at = timezone.now()
    record.full_clean()
    record.save()
    audit_log(council=record.council, actor=actor.user, action="career_record.level_changed",
              obj=record, affected_user=record.membership.user,
              data={"before": before, "after": {"level": record.current_level,
                                                "grade": record.grade_label,
                                                "scp": record.spinal_column_point},
                    "cause": cause})


def _prior_outcomes(case: ProgressionCase) -> set[str]:
    """Outcomes already decided on the case; a referral counts once concluded (STOKE-49)."""
    out = set()
    for outcome, concluded in Decision.objects.filter(
            council_id=case.council_id, case=case).values_list("outcome",
                                                               "referral_concluded_on"):
        if outcome != "refer" or concluded is not None:
            out.add(outcome)
    return out


def _check_outcome(pack: RulePack, route: Route, case: ProgressionCase, outcome: str,
                   reason_code: str, reason_text: str) -> None:
    problems = engine.outcome_problems(
        pack, route.slug, outcome, flags=frozenset(case.flags),
        prior_outcomes=frozenset(_prior_outcomes(case)),
        qa_recorded=not blocking_qa_missing(route, qa_recorded_stages(case)),
        reason_code=reason_code or None, reason_text=reason_text)
    if problems:
        messages = []
        for p in problems:
            if p.code == "qa-not-recorded":
                missing = "; ".join(blocking_qa_missing(route, qa_recorded_stages(case)))
                messages.append(f"The decision needs quality assurance first: {missing}.")
            elif p.code == "needs-prior-outcome":
                messages.append(f"{outcome} can be issued only after a referral's conclusion "
                                f"is recorded ({p.rule}).")
            elif p.code in ("reason-required", "reason-text-required"):
                key = "reason_code" if p.code == "reason-required" else "reason_text"
                raise ValidationError({key: f"{p.message[0].upper()}{p.message[1:]} "
                                            f"({p.rule})."})
            else:
                messages.append(f"{p.message[0].upper()}{p.message[1:]} ({p.rule}).")
        raise ValidationError({"outcome": messages})


def _effects(*, actor: Membership, decision: Decision, pack: RulePack, route: Route,
             effect: engine.DecisionEffect) -> PayChange | None:
    """Apply an issued decision's effect: career record, pay-change ledger, records."""
    case = decision.case
    record = _career_record(case)
    if "asye-completed" in effect.records and record.asye_completed is None:
        record.asye_completed = decision.decided_on
        if record.pk is not None:
            record.save(update_fields=["asye_completed"])
    if not effect.level_changes:
        if record.pk is None and record.asye_completed:
            record.full_clean()
            record.save()
        return None
    from_lv, to_lv = _level(pack, route.from_level), _level(pack, effect.level)
    pay_point = effect.pay_point or ""
    grade = to_lv.grade_label if to_lv is not None and to_lv.grade_label else ""
    moves_pay = bool(pay_point) or (grade and (from_lv is None
                                               or from_lv.grade_label != grade))
    if not moves_pay:
        # No pay effect (STOKE-51: pay not stated): the level changes with the decision.
        _apply_to_record(record, pack, effect.level, "", actor, f"decision {decision.pk}")
        return None
    o = route.outcome(decision.outcome)
    if effect.vacancy_required:
        status = PayChangeStatus.AWAITING_VACANCY  # NELC-40: level 3 only into a vacancy
    elif effect.effective_on is not None:
        status = PayChangeStatus.READY
    else:
        status = PayChangeStatus.AWAITING_DATE  # unset rule: HR enters the date
    change = PayChange(
        council=case.council, worker=case.worker, decision=decision,
        from_level=route.from_level, to_level=effect.level, grade=grade, pay_point=pay_point,
        effective_rule=effect.effective_rule, effective_on=effect.effective_on,
        assigned_roles=list(o.effect.pay_change_assigned_to) if o is not None else [],
        status=status)
    change.full_clean()
    change.save()
    if status == PayChangeStatus.READY:
        _apply_to_record(record, pack, effect.level, pay_point, actor,
                         f"decision {decision.pk}")
    elif record.pk is None and record.asye_completed:
        record.full_clean()
        record.save()
    audit_log(council=case.council, actor=actor.user, action="pay_change.created",
              obj=change, affected_user=case.worker.user,
              data={"after": {"from": change.from_level, "to": change.to_level,
                              "grade": grade, "pay_point": pay_point,
                              "effective_on": str(change.effective_on),
                              "status": status}})
    return change


def _new_decision(*, actor: Membership, sitting: PanelSitting, case: ProgressionCase,
                  pack: RulePack, route: Route, outcome: str, reason_code: str,
                  reason_text: str, decided_on: dt.date, received_on: dt.date | None,
                  supersedes: Decision | None = None, correction_reason: str = ""
                  ) -> tuple[Decision, engine.DecisionEffect]:
    o = route.outcome(outcome)
    if sitting.sitting_on is None:
        raise ValidationError("Set the sitting's date before recording decisions (CONV-06).")
    effect = engine.decision_effect(pack, route.slug, outcome, sitting.sitting_on, decided_on)
    decision = Decision(
        council=case.council, case=case, sitting=sitting, outcome=outcome,
        outcome_label=o.label or outcome, rules=_rules(o.rules), reason_code=reason_code,
        reason_text=reason_text.strip(), decided_on=decided_on,
        received_on=received_on or decided_on, issued_by=actor, supersedes=supersedes,
        correction_reason=correction_reason.strip(), from_level=route.from_level,
        to_level=effect.level, pay_point=effect.pay_point or "",
        effective_rule=effect.effective_rule, effective_on=effect.effective_on,
        reapply_from=effect.reapply_from, awaiting_vacancy=effect.vacancy_required,
        vacancy_review_on=effect.vacancy_review_on,
        tasks=[{"slug": s, "title": t, "roles": r} for s, t, r in effect.tasks])
    decision.full_clean()
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as error:  # the one-current-decision constraint, under a race
        raise ValidationError("The case already has a current decision.") from error
    DecisionRecord.objects.create(council=case.council, decision=decision)
    return decision, effect


def _queue_record(decision: Decision) -> None:
    from panels.tasks import decision_record_render

    # TransactionAwareTask: queued only once the surrounding transaction commits.
    decision_record_render.delay(decision.council_id, decision_id=decision.pk)


@transaction.atomic
def decision_issue(*, actor: Membership, sitting: PanelSitting, case: ProgressionCase,
                   outcome: str, reason_code: str = "", reason_text: str = "",
                   decided_on: dt.date, received_on: dt.date | None = None) -> Decision:
    """The chair issues the decision on a case listed on the sitting.

    Refused unless the outcome is one of the route's, allowed now (engine
    ``outcome_problems``: STOKE-49 fail only after a concluded referral, HALTON-06 pass only
    with a progression request, DERBY-06 only after IQAP and EQAP) and given the reasons the
    pack requires. The engine's ``decision_effect`` is applied: career record and pay
    change (ready with the effective date, awaiting a date where the pack leaves it unset,
    awaiting a vacancy, NELC-40); adjourn and defer return the portfolio to the worker. The
    PDF record is rendered after commit.
    """
    sitting = _lock_sitting(sitting)
    case = _lock_case(case)
    if not perms.can_decide_sitting(actor, sitting):
        raise PermissionDenied("Only the sitting's chair issues its decisions.")
    if not AgendaItem.objects.filter(council=case.council, sitting=sitting,
                                     case=case).exists():
        raise ValidationError("The case is not on this sitting's agenda.")
    if case.status != CaseStatus.SUBMITTED:
        raise ValidationError("The case has no submitted portfolio awaiting a decision.")
    current = Decision.objects.select_for_update(of=("self",)).filter(
        council=case.council, case=case, is_current=True).first()
    if current is not None and current.outcome not in INTERIM_OUTCOMES:
        raise ValidationError("The case already has a decision; correct it instead.")
    if (current is not None and current.outcome == "refer"
            and current.referral_concluded_on is None):
        raise ValidationError({"outcome": "The case is referred: record the referral's "
                                          f"conclusion first ({current.rules})."})
    pack, route = route_of_case(case)
    _check_outcome(pack, route, case, outcome, reason_code, reason_text)
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    decision, effect = _new_decision(
        actor=actor, sitting=sitting, case=case, pack=pack, route=route, outcome=outcome,
        reason_code=reason_code, reason_text=reason_text, decided_on=decided_on,
        received_on=received_on)
    change = _effects(actor=actor, decision=decision, pack=pack, route=route, effect=effect)
    audit_log(council=case.council, actor=actor.user, action="decision.issued", obj=decision,
              affected_user=case.worker.user,
              data={"after": {"outcome": outcome, "reason_code": reason_code,
                              "decided_on": str(decided_on), "level": effect.level,
                              "pay_point": effect.pay_point,
                              "effective_on": str(effect.effective_on),
                              "reapply_from": str(effect.reapply_from),
                              "pay_change": change.pk if change else None}})
    if outcome in RETURN_OUTCOMES:
        portfolio_return(actor=actor, case=case,
                         reason=f"{decision.outcome_label}: {decision.reason_text}".strip(": "))
    _queue_record(decision)
    return decision


@transaction.atomic
def referral_conclude(*, actor: Membership, decision: Decision, conclusion: str,
                      concluded_on: dt.date) -> Decision:
    """Record the independent reviewer's conclusion of a referral (STOKE-49); the chair may
    then issue the final decision."""
    decision = Decision.objects.select_for_update(
        of=("self",)).select_related("sitting", "case").get(
        council_id=decision.council_id, pk=decision.pk)
    if not perms.can_decide_sitting(actor, decision.sitting) and \
            not perms.can_manage_sittings(actor):
        raise PermissionDenied("Only the chair or an administrator records the conclusion.")
    if decision.outcome != "refer" or decision.referral_concluded_on is not None:
        raise ValidationError("This is not an open referral.")
    if not conclusion.strip():
        raise ValidationError({"conclusion": "Write the reviewer's conclusion."})
    decision.referral_conclusion = conclusion.strip()
    decision.referral_concluded_on = concluded_on
    decision.save(update_fields=["referral_conclusion", "referral_concluded_on"])
    audit_log(council=decision.council, actor=actor.user, action="decision.referral_concluded",
              obj=decision, affected_user=decision.case.worker.user,
              data={"after": {"on": str(concluded_on)}})
    return decision


@transaction.atomic
def decision_correct(*, actor: Membership, decision: Decision, outcome: str,
                     reason_code: str = "", reason_text: str = "", correction_reason: str,
                     decided_on: dt.date) -> Decision:
    """Correct an issued decision: a new decision supersedes it, with the reason; the old
    one is never edited. Its pay change is cancelled if not yet exported (an exported one
    stays in its batch; the correction's change follows in a later batch)."""
    old = Decision.objects.select_for_update(of=("self",)).select_related("sitting", "case").get(
        council_id=decision.council_id, pk=decision.pk)
    case = _lock_case(old.case)
    if not perms.can_decide_sitting(actor, old.sitting):
        raise PermissionDenied("Only the chair of the sitting corrects its decisions.")
    if not old.is_current:
        raise ValidationError("This decision is already superseded.")
    if not correction_reason.strip():
        raise ValidationError({"correction_reason": "Say why the decision is corrected."})
    pack, route = route_of_case(case)
    if outcome in RETURN_OUTCOMES and case.status != CaseStatus.SUBMITTED:
        raise ValidationError({"outcome": "The portfolio is no longer submitted, so it cannot "
                                          "be returned again."})
    _check_outcome(pack, route, case, outcome, reason_code, reason_text)
    old.is_current = False
    old.save(update_fields=["is_current"])
    change = PayChange.objects.select_for_update(of=("self",)).filter(council=case.council,
                                                          decision=old).first()
    if change is not None and change.batch_id is None:
        change.status = PayChangeStatus.CANCELLED
        change.save(update_fields=["status"])
        audit_log(council=case.council, actor=actor.user, action="pay_change.cancelled",
                  obj=change, data={"after": {"corrected_by": "decision correction"}})
    new, effect = _new_decision(
        actor=actor, sitting=old.sitting, case=case, pack=pack, route=route, outcome=outcome,
        reason_code=reason_code, reason_text=reason_text, decided_on=decided_on,
        received_on=None, supersedes=old, correction_reason=correction_reason)
    record = CareerRecord.objects.filter(council=case.council, membership=case.worker).first()
    if (record is not None and old.effective_on is not None
            and record.current_level == old.to_level and old.to_level != old.from_level
            and not effect.level_changes):
        # The corrected decision moved the worker; the correction does not: move them back.
        _apply_to_record(record, pack, old.from_level, "", actor, f"correction {new.pk}")
    _effects(actor=actor, decision=new, pack=pack, route=route, effect=effect)
    audit_log(council=case.council, actor=actor.user, action="decision.corrected", obj=new,
              affected_user=case.worker.user,
              data={"before": {"decision": old.pk, "outcome": old.outcome},
                    "after": {"decision": new.pk, "outcome": outcome},
                    "reason": correction_reason.strip()})
    if outcome in RETURN_OUTCOMES:
        portfolio_return(actor=actor, case=case, reason=f"{new.outcome_label} (corrected)")
    _queue_record(new)
    return new


@transaction.atomic
def decision_record_render(*, decision: Decision) -> DecisionRecord:
    """Render and store the decision's PDF (idempotent: a rendered record is kept)."""
    # Imported here: WeasyPrint is heavy and only the rendering task needs it.
    from panels.pdf import render_decision_pdf

    record = DecisionRecord.objects.select_for_update(
        of=("self",)).get(council_id=decision.council_id,
                                                            decision=decision)
    if record.is_rendered:
        return record
    pdf = render_decision_pdf(decision)
    record.file.save(f"decisions/{decision.council.slug}/decision-{decision.pk}.pdf",
                     ContentFile(pdf), save=False)
    record.sha256 = hashlib.sha256(pdf).hexdigest()
    record.rendered_at = timezone.now()
    record.save(update_fields=["file", "sha256", "rendered_at"])
    audit_log(council=decision.council, actor=None, action="decision.record_rendered",
              obj=record, data={"after": {"sha256": record.sha256}})
    return record


# -- appeals ----------------------------------------------------------------------------------

@transaction.atomic
def appeal_lodge(*, actor: Membership, case: ProgressionCase, grounds: str,
                 lodged_on: dt.date, decision: Decision | None = None,
                 trigger: str = "panel-decision", refused_on: dt.date | None = None
                 ) -> Appeal:
    """Lodge an appeal of the pack's kind ``trigger`` (a panel decision, or a manager's
    refusal to support, HALTON-29). Refused where policy states no appeal, or after the
    engine's deadline, naming the date (LINCS-26, NELC-44); no deadline where the pack sets
    none (HALTON-29/30)."""
    case = _lock_case(case)
    if not perms.can_lodge_appeal(actor, case):
        raise PermissionDenied("Only the worker lodges an appeal.")
    pack, route = route_of_case(case)
    if trigger == "panel-decision":
        if decision is None or decision.case_id != case.pk or not decision.is_current:
            raise ValidationError("Choose the current decision on this case.")
        anchor = decision.received_on
        outcome = decision.outcome
    else:
        if refused_on is None:
            raise ValidationError({"refused_on": "Enter the date of the refusal."})
        anchor, outcome = refused_on, None
    rule = appeal_rule(pack, route.slug, trigger, outcome)
    if rule is None:
        raise ValidationError("The council's policy states no appeal against this "
                              "(not stated in policy).")
    if not grounds.strip():
        raise ValidationError({"grounds": "Set out the reasons for the appeal in writing ("
                                          + _rules(rule.rules) + ")."})
    due = engine.appeal_due(pack, route.slug, anchor, trigger, outcome)
    if due is not None and lodged_on > due:
        raise ValidationError({"lodged_on": f"The appeal deadline was {due:%-d %B %Y} "
                                            f"({_rules(rule.rules)}); it can no longer be "
                                            "lodged."})
    if lodged_on < anchor:
        raise ValidationError({"lodged_on": "The appeal cannot be lodged before the "
                                            "decision."})
    if Appeal.objects.filter(council=case.council, case=case, decision=decision,
                             trigger=trigger, result="").exists():
        raise ValidationError("An appeal is already pending.")
    appeal = Appeal(
        council=case.council, case=case, decision=decision, appeal_slug=rule.slug,
        trigger=trigger, rules=_rules(rule.rules), grounds=grounds.strip(),
        lodged_on=lodged_on, due_on=due, addressee_role=rule.addressee_role or "",
        panel_setup_due_on=engine.appeal_panel_setup_due(pack, route.slug, lodged_on)
        if rule.panel is not None else None,
        lodged_by=actor, final=rule.final)
    appeal.full_clean()
    appeal.save()
    audit_log(council=case.council, actor=actor.user, action="appeal.lodged", obj=appeal,
              affected_user=case.worker.user,
              data={"after": {"trigger": trigger, "due_on": str(due),
                              "lodged_on": str(lodged_on)}})
    return appeal


@transaction.atomic
def appeal_panel_set(*, actor: Membership, appeal: Appeal,
                     members: list[tuple[Membership, str]], sitting_on: dt.date) -> Appeal:
    """Name the appeal panel and its sitting date (NELC-45), refused when a member is not
    independent of the case or a role is missing (engine ``appeal_panel_conflicts``,
    NELC-46)."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "case__pack_version", "decision__sitting").get(council_id=appeal.council_id,
                                                       pk=appeal.pk)
    pack, route = route_of_case(appeal.case)
    rule = appeal_rule(pack, route.slug, appeal.trigger)
    if rule is None or rule.panel is None:
        raise ValidationError("The council's policy names no appeal panel for this appeal.")
    if not perms.can_set_appeal_panel(actor, appeal, rule.panel.set_up_by):
        raise PermissionDenied("You may not set up this appeal panel.")
    if appeal.result:
        raise ValidationError("The appeal is already decided.")
    people = [(m, r) for m, r in members if m is not None]
    if any(m.council_id != appeal.council_id for m, _ in people):
        raise ValidationError({"members": "Choose people of this council."})
    conflicts = engine.appeal_panel_conflicts(
        pack, route.slug, {str(m.pk): r for m, r in people},
        {k: sorted(v) for k, v in case_roles(appeal.case).items()})
    if conflicts:
        raise ValidationError({"members": [f"{c.message[0].upper()}{c.message[1:]} ({c.rule})."
                                           for c in conflicts]})
    AppealPanelMember.objects.filter(council=appeal.council, appeal=appeal).delete()
    AppealPanelMember.objects.bulk_create([
        AppealPanelMember(council=appeal.council, appeal=appeal, membership=m, role=r)
        for m, r in people])
    appeal.panel_sitting_on = sitting_on
    appeal.save(update_fields=["panel_sitting_on"])
    audit_log(council=appeal.council, actor=actor.user, action="appeal.panel_set", obj=appeal,
              data={"after": {"members": [[m.pk, r] for m, r in people],
                              "sitting_on": str(sitting_on),
                              "setup_due_on": str(appeal.panel_setup_due_on)}})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Membership, appeal: Appeal, result: str, reason: str,
                  decided_on: dt.date) -> Appeal:
    """Record the appeal's result (upheld or dismissed); ``final`` comes from the pack
    (LINCS-26 final; NELC-47 not stated, left unknown)."""
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("case").get(
        council_id=appeal.council_id, pk=appeal.pk)
    if not perms.can_decide_appeal(actor, appeal):
        raise PermissionDenied("Only the appeal's addressee or panel records its result.")
    if appeal.result:
        raise ValidationError("The appeal is already decided.")
    if result not in AppealResult.values:
        raise ValidationError({"result": "Choose upheld or dismissed."})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons for the result."})
    appeal.result, appeal.result_reason = result, reason.strip()
    appeal.decided_on, appeal.decided_by = decided_on, actor
    appeal.full_clean()
    appeal.save(update_fields=["result", "result_reason", "decided_on", "decided_by"])
    audit_log(council=appeal.council, actor=actor.user, action="appeal.decided", obj=appeal,
              affected_user=appeal.case.worker.user,
              data={"after": {"result": result, "final": appeal.final}})
    return appeal


# -- pay changes and HR exports ---------------------------------------------------------------

@transaction.atomic
def pay_change_set_effective_date(*, actor: Membership, pay_change: PayChange,
                                  on: dt.date) -> PayChange:
    """HR enters the effective date where the pack leaves it unset, or the appointment date
    into a vacancy (NELC-40); the change becomes ready to export and the career record
    moves to the new level, grade and pay point."""
    change = PayChange.objects.select_for_update(of=("self",)).select_related(
        "decision__case__pack_version").get(council_id=pay_change.council_id,
                                            pk=pay_change.pk)
    if not perms.can_manage_pay_changes(actor):
        raise PermissionDenied("Only HR sets effective dates.")
    if change.status not in (PayChangeStatus.AWAITING_DATE, PayChangeStatus.AWAITING_VACANCY):
        raise ValidationError({"on": "This pay change already has its effective date."})
    if on < change.decision.decided_on:
        raise ValidationError({"on": "The effective date cannot be before the decision "
                                     f"({change.decision.decided_on:%-d %B %Y})."})
    before = change.status
    change.effective_on, change.status = on, PayChangeStatus.READY
    change.full_clean()
    change.save(update_fields=["effective_on", "status"])
    pack, _ = route_of_case(change.decision.case)
    _apply_to_record(_career_record(change.decision.case), pack, change.to_level,
                     change.pay_point, actor, f"pay change {change.pk}")
    audit_log(council=change.council, actor=actor.user, action="pay_change.dated", obj=change,
              affected_user=change.worker.user,
              data={"before": before, "after": {"effective_on": str(on)}})
    return change


EXPORT_COLUMNS = ["pay_change", "payroll_number", "worker", "email", "from_level", "to_level",
                  "grade", "spinal_column_point", "effective_on", "decision_date",
                  "assigned_to"]


@transaction.atomic
def pay_export_create(*, actor: Membership, council: Council, fmt: str) -> PayExportBatch:
    """Export every ready pay change not yet exported into a new numbered batch. The rows
    are frozen in the batch: downloading it again gives the same rows, and a change is never
    in two batches."""
    if not perms.can_manage_pay_changes(actor):
        raise PermissionDenied("Only HR exports pay changes.")
    if fmt not in ExportFormat.values:
        raise ValidationError({"format": "Choose CSV or XLSX."})
    changes = list(PayChange.objects.select_for_update(of=("self",)).filter(
        council=council, status=PayChangeStatus.READY, batch__isnull=True).select_related(
        "worker__user", "decision").order_by("effective_on", "id"))
    if not changes:
        raise ValidationError("There are no pay changes ready to export.")
    records = {r.membership_id: r.payroll_number for r in CareerRecord.objects.filter(
        council=council, membership_id__in=[c.worker_id for c in changes])}
    rows = [{"pay_change": c.pk, "payroll_number": records.get(c.worker_id, ""),
             "worker": c.worker.user.full_name, "email": c.worker.user.email,
             "from_level": c.from_level, "to_level": c.to_level, "grade": c.grade,
             "spinal_column_point": c.pay_point, "effective_on": c.effective_on.isoformat(),
             "decision_date": c.decision.decided_on.isoformat(),
             "assigned_to": ", ".join(c.assigned_roles)} for c in changes]
    number = (PayExportBatch.objects.select_for_update(of=("self",)).filter(council=council)
              .aggregate(n=Max("number"))["n"] or 0) + 1
    batch = PayExportBatch(council=council, number=number, format=fmt, rows=rows,
                           created_by=actor.user)
    batch.full_clean()
    batch.save()
    PayChange.objects.filter(council=council, pk__in=[c.pk for c in changes]).update(
        batch=batch, status=PayChangeStatus.EXPORTED)
    audit_log(council=council, actor=actor.user, action="pay_export.created", obj=batch,
              data={"after": {"number": number, "format": fmt, "rows": len(rows),
                              "pay_changes": [c.pk for c in changes]}})
    return batch


def pay_export_downloaded(*, actor: Membership, batch: PayExportBatch, fmt: str) -> None:
    """Audit a download of a batch (first or again)."""
    audit_log(council=batch.council, actor=actor.user, action="pay_export.downloaded",
              obj=batch, data={"format": fmt, "rows": len(batch.rows)})

"""ASYE services: each one keyword-only, atomic, locks the programme it changes, validates,
and writes an audit event. Every date and limit comes from the programme's pack version.

Refusals raise ``django.core.exceptions.ValidationError`` whose messages name the rule ID;
views show them in the error summary and keep what was typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from councils.audit import audit_log
from councils.models import Council, Membership, Role
from councils.permissions import roles_of
from councils.rules.selectors import pack_of_version, pack_version_in_force
from progression.asye.rules import (
    DEFAULT_PARTIES,
    acting_roles,
    pack_of,
    programme_rules,
    reviews_held_of,
    route_of,
    worker_person,
)
from progression.engine import (
    AsyeRecord,
    HoursEntry,
    Reason,
    add_months,
    allocation,
    asye_timeline,
    breach_escalation_due,
    check_end_date,
    deferral_allowed,
    route_eligibility,
    study_day_allowed,
)
from progression.engine._pack import compiled
from progression.engine_inputs import person_record_for
from progression.models import (
    PROGRAMME_TRANSITIONS,
    AllocationRole,
    AssessmentDeferral,
    AsyeProgramme,
    Attendance,
    Case,
    CaseAllocation,
    CaseloadBreach,
    ComplexWorkAgreement,
    CwaSignature,
    DevelopmentDay,
    Extension,
    FinalReport,
    LearningAgreement,
    LearningAgreementSignature,
    Observation,
    ProgrammeStatus,
    Review,
    ReviewSignature,
    StudyDay,
    SupervisionKind,
    SupervisionSession,
)

ASSESSOR_ROLES = frozenset({Role.ASSESSOR.value, Role.LEAD_ASSESSOR.value, Role.ASYE_LEAD.value})


def _message(reason: Reason) -> str:
    return f"{reason.message[:1].upper()}{reason.message[1:]} ({reason.rule})."


def _refuse(reasons: list[Reason] | list[str], code: str = "refused") -> ValidationError:
    return ValidationError([r if isinstance(r, str) else _message(r) for r in reasons], code=code)


def _lock(programme: AsyeProgramme) -> AsyeProgramme:
    """Re-read the programme under a row lock (serialises every change to one programme)."""
    return (AsyeProgramme.objects.select_for_update(of=("self",))
            .select_related("membership__user", "membership__team", "pack_version")
            .get(pk=programme.pk))


def _require(actor: Membership, programme: AsyeProgramme, roles, what: str) -> str:
    """The first of ``roles`` the actor acts in on ``programme``; else PermissionDenied."""
    mine = acting_roles(actor, programme)
    for role in roles:
        if role in mine:
            return role
    raise PermissionDenied(f"Your role does not allow you to {what}.")


def _open(programme: AsyeProgramme) -> None:
    if not programme.is_open:
        raise ValidationError("This programme is closed: nothing more can be recorded.",
                              code="closed")


def programme_transition(programme: AsyeProgramme, to: str) -> None:
    """Move the status along the transitions table (the caller saves)."""
    if to not in PROGRAMME_TRANSITIONS[programme.status]:
        raise ValidationError(
            f"A programme that is {programme.get_status_display().lower()} cannot become "
            f"{ProgrammeStatus(to).label.lower()}.", code="transition")
    programme.status = to


# ----------------------------------------------------------------------------- enrolment

@dataclass
class Enrolment:
    programme: AsyeProgramme
    warnings: list[str] = field(default_factory=list)


def _review_months(prog, part_time: bool, credit: int) -> list[tuple[int, bool, bool]]:
    """(month, is_final, waivable) for each review the pack schedules (as the engine does)."""
    rv = prog.reviews
    if rv is None:
        return []
    months = list(rv.part_time_months if part_time and rv.part_time_months is not None
                  else rv.full_time_months)
    final_month = None
    if rv.final is not None and rv.final.month is not None:
        final_month = rv.final.month
        if rv.final.included_in_reviews and final_month not in months:
            months.append(final_month)
    months = sorted(m for m in months if m - credit > 0)
    if final_month is None and rv.final is not None and getattr(rv.final, "last_review_held",
                                                                  False) and months:
        final_month = months[-1]
    waivable = {o.month for o in rv.optional}
    return [(m, m == final_month, m in waivable) for m in months]


def programme_enrol(*, actor: Membership, membership: Membership, started_on: dt.date,
                    part_time: bool, credit_months: int = 0, credit_evidence: str = "",
                    ) -> Enrolment:
    """Start ``membership``'s ASYE on ``started_on`` under the pack version in force then.

    Eligibility is the engine's (qualification window, prior ASYE, agency, team tags); a
    refusal raises ValidationError naming the rules. Creates the learning agreement and one
    review per pack month with its due date. Only an ASYE lead enrols."""
    council = membership.council
    if Role.ASYE_LEAD not in roles_of(actor) or actor.council_id != council.pk:
        raise PermissionDenied("Only the ASYE lead enrols a social worker.")
    version = pack_version_in_force(council=council, on=started_on)
    if version is None:
        raise ValidationError({"started_on": "No rule pack is in force for this council on "
                                             "that date."})
    pack = pack_of_version(version)
    route = compiled(pack).asye_route
    if route is None or route.programme is None:
        raise ValidationError("This council's rule pack has no ASYE programme.")
    prog = route.programme
    errors: dict[str, list[str]] = {}
    if credit_months:
        if prog.credit is None or not prog.credit.allowed:
            errors.setdefault("credit_months", []).append(
                "The council's policy does not state any credit for an earlier ASYE, so none "
                "can be given.")
        elif (prog.length is not None and prog.length.full_time_months is not None
              and credit_months >= prog.length.full_time_months):
            # A credit of the whole year is a completed ASYE, which STOKE-02 excludes.
            errors.setdefault("credit_months", []).append(
                f"The credit must be shorter than the {prog.length.full_time_months}-month "
                f"programme: a whole programme credited is a completed ASYE "
                f"({', '.join(prog.credit.rules)}).")
        elif not credit_evidence.strip():
            errors.setdefault("credit_evidence", []).append(
                f"Describe the evidence the manager accepted for the credit "
                f"({', '.join(prog.credit.rules)}).")
    if errors:
        raise ValidationError(errors)
    record = getattr(membership, "career_record", None)
    prior = None
    if record is not None and record.asye_completed:
        prior = "completed"
    elif credit_months:
        prior = "partial"
    fte = 0.5 if part_time else 1.0
    person = person_record_for(membership, on=started_on, prior_asye=prior,
                               hours=(HoursEntry(started_on, fte),))
    answer = route_eligibility(pack, route.slug, person, started_on)
    if not answer.eligible:
        raise _refuse(answer.reasons, "ineligible")
    timed = worker_person_for_start(person, started_on, credit_months)
    tl = asye_timeline(pack, timed, route.slug)
    if tl.ends_on is None:
        raise ValidationError("The council's policy states no programme length for this "
                              "working pattern, so the programme cannot be planned.")
    flags = sorted({f for tag in (person.team_tags or ())
                    for f in ((prog.learning_agreement.conditional_fields.get(tag, []))
                              if prog.learning_agreement else [])})
    with transaction.atomic():
        # Lock the worker's membership: two enrolments of one person cannot interleave.
        Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        programme = AsyeProgramme(
            council=council, membership=membership, pack_version=version,
            route_slug=route.slug, started_on=started_on, part_time=tl.part_time,
            credit_months=credit_months, credit_evidence=credit_evidence.strip(),
            planned_end=tl.ends_on, latest_end=tl.latest_end_on, flags=flags,
            enrolled_by=actor.user,
        )
        programme.full_clean()
        programme.save()
        LearningAgreement.objects.create(council=council, programme=programme,
                                         due_on=tl.learning_agreement_due_on)
        reviews = [
            Review(council=council, programme=programme, month=m, is_final=final,
                   waivable=waivable, due_on=add_months(started_on, m - credit_months))
            for m, final, waivable in _review_months(prog, tl.part_time, credit_months)
        ]
        Review.objects.bulk_create(reviews)
        audit_log(council=council, actor=actor.user, action="asye.enrolled", obj=programme,
                  affected_user=membership.user,
                  data={"after": {"started_on": started_on.isoformat(),
                                  "planned_end": tl.ends_on.isoformat(),
                                  "pack_version": version.version}})
    return Enrolment(programme, [_message(w) for w in answer.warnings])


def worker_person_for_start(person, started_on: dt.date, credit: int):
    """``person`` with the new programme's start and credit (for the timeline)."""
    from dataclasses import replace

    return replace(person, asye=AsyeRecord(started_on=started_on, credit_months=credit))


# ---------------------------------------------------------------------- learning agreement

def la_signatories(programme: AsyeProgramme) -> tuple[str, ...]:
    prog = programme_rules(programme)
    la = prog.learning_agreement if prog else None
    return tuple(la.signatories) if la and la.signatories else DEFAULT_PARTIES


def la_required_fields(programme: AsyeProgramme) -> list[str]:
    prog = programme_rules(programme)
    la = prog.learning_agreement if prog else None
    out = list(la.fields) if la else []
    out.extend(programme.flags)
    return out


_LA_FIELD_ATTR = {"supervision-frequency": "supervision_frequency"}


def learning_agreement_update(*, actor: Membership, programme: AsyeProgramme,
                              supervision_frequency: str, development_plan: str,
                              extra_shadowing_plan: str = "") -> LearningAgreement:
    """Edit the agreement (the ASYE lead or the manager). A change after signing clears the
    signatures: the changed agreement is agreed again (it is revisited at each review)."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.ASYE_LEAD, Role.LINE_MANAGER),
                 "edit the learning agreement")
        la = programme.learning_agreement
        before = {"supervision_frequency": la.supervision_frequency,
                  "development_plan": la.development_plan}
        la.supervision_frequency = supervision_frequency.strip()
        la.development_plan = development_plan.strip()
        la.extra_shadowing_plan = extra_shadowing_plan.strip()
        la.agreed_on = None
        la.full_clean()
        la.save()
        la.signatures.all().delete()
        audit_log(council=programme.council, actor=actor.user, action="asye.la.updated",
                  obj=la, affected_user=programme.membership.user,
                  data={"before": before, "after": {
                      "supervision_frequency": la.supervision_frequency,
                      "development_plan": la.development_plan}})
        return la


def learning_agreement_sign(*, actor: Membership, programme: AsyeProgramme, on: dt.date
                            ) -> LearningAgreement:
    """Sign in every signatory role the actor holds that has not signed yet (STOKE-09).
    The required fields must be filled first; agreed once every signatory signed."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        la = programme.learning_agreement
        missing = [f for f in la_required_fields(programme)
                   if not getattr(la, _LA_FIELD_ATTR.get(f, "extra_shadowing_plan"), "")]
        if missing:
            raise ValidationError("Fill in before signing: " + ", ".join(
                f.replace("-", " ") for f in missing) + ".", code="incomplete")
        signed = set(la.signatures.values_list("role", flat=True))
        mine = acting_roles(actor, programme)
        roles = [r for r in la_signatories(programme) if r in mine and r not in signed]
        if not roles:
            raise PermissionDenied("You have no signature left to give on this agreement.")
        for role in roles:
            LearningAgreementSignature.objects.create(council=programme.council, agreement=la,
                                                      role=role, signed_by=actor.user,
                                                      signed_on=on)
        if set(la_signatories(programme)) <= signed | set(roles):
            la.agreed_on = on
            la.save(update_fields=["agreed_on"])
        audit_log(council=programme.council, actor=actor.user, action="asye.la.signed", obj=la,
                  affected_user=programme.membership.user, data={"after": {"roles": roles}})
        return la


# --------------------------------------------------------------------------------- reviews

def review_parties(programme: AsyeProgramme) -> tuple[tuple[str, ...], str | None]:
    """(attendees who sign, the role whose signature makes it held) from the pack."""
    prog = programme_rules(programme)
    rv = prog.reviews if prog else None
    attendees = tuple(rv.attendees) if rv and rv.attendees else DEFAULT_PARTIES
    return attendees, (rv.held_when_signed_by if rv else None)


def _review_locked(review: Review) -> tuple[Review, AsyeProgramme]:
    programme = _lock(review.programme)
    return Review.objects.select_for_update(of=("self",)).get(pk=review.pk), programme


def review_record(*, actor: Membership, review: Review, kss_progress: str, actions: str,
                  concerns: str, complex_work_ready: bool | None,
                  learning_agreement_review: str = "") -> Review:
    """The review record (STOKE-17): the ASYE lead or the manager writes it before it is held.
    ``learning_agreement_review`` is what the review agreed about the learning agreement
    (STOKE-15: each review also reviews it); it is needed before anyone signs."""
    with transaction.atomic():
        review, programme = _review_locked(review)
        _open(programme)
        _require(actor, programme, (Role.ASYE_LEAD, Role.LINE_MANAGER), "record a review")
        if review.held_on or review.waived_on:
            raise ValidationError("This review is closed: it was held or waived.")
        review.kss_progress, review.actions = kss_progress.strip(), actions.strip()
        review.concerns, review.complex_work_ready = concerns.strip(), complex_work_ready
        review.learning_agreement_review = learning_agreement_review.strip()
        review.full_clean()
        review.save()
        review.signatures.all().delete()  # a changed record is signed again
        audit_log(council=programme.council, actor=actor.user, action="asye.review.recorded",
                  obj=review, affected_user=programme.membership.user,
                  data={"after": {"month": review.month,
                                  "complex_work_ready": complex_work_ready}})
        return review


def review_sign(*, actor: Membership, review: Review, on: dt.date) -> Review:
    """Sign the review in the actor's attendee roles. STOKE-17: held when the ``held_when``
    role signs with every attendee's signature recorded (so that role signs last); where the
    pack names none, held when every attendee signed. Holding the complexity-lift review with
    readiness ends the complex work agreements (STOKE-41)."""
    with transaction.atomic():
        review, programme = _review_locked(review)
        _open(programme)
        if review.held_on or review.waived_on:
            raise ValidationError("This review is closed: it was held or waived.")
        if not (review.kss_progress and review.actions and review.learning_agreement_review):
            raise ValidationError("Record the progress against the KSS, the actions and what "
                                  "the review agreed about the learning agreement before "
                                  "signing.", code="incomplete")
        attendees, held_by = review_parties(programme)
        signed = set(review.signatures.values_list("role", flat=True))
        mine = acting_roles(actor, programme)
        roles = [r for r in attendees if r in mine and r not in signed]
        if not roles:
            raise PermissionDenied("You are not an attendee of this review who has still to "
                                   "sign.")
        if held_by in roles:
            others = set(attendees) - {held_by} - signed - set(roles)
            if others:
                rule = ", ".join(programme_rules(programme).reviews.rules)
                raise ValidationError(
                    f"The {held_by.replace('-', ' ')} signs last, once every attendee has "
                    f"signed; still to sign: {', '.join(sorted(others))} ({rule}).",
                    code="order")
        for role in roles:
            ReviewSignature.objects.create(council=programme.council, review=review, role=role,
                                           signed_by=actor.user, signed_on=on)
        now_signed = signed | set(roles)
        if (held_by in now_signed if held_by else set(attendees) <= now_signed):
            review.held_on = on
            review.save(update_fields=["held_on"])
            prog = programme_rules(programme)
            lifts = prog.complexity.lifts_when if prog and prog.complexity else None
            if (lifts and review.month == lifts.review_month
                    and (review.complex_work_ready or not lifts.requires_readiness)):
                programme.complex_work_agreements.filter(ended_on__isnull=True,
                                                         agreed_on__isnull=False
                                                         ).update(ended_on=on)
        audit_log(council=programme.council, actor=actor.user, action="asye.review.signed",
                  obj=review, affected_user=programme.membership.user,
                  data={"after": {"roles": roles, "held_on": str(review.held_on or "")}})
        return review


def review_waive(*, actor: Membership, review: Review, reason: str, on: dt.date) -> Review:
    """Waive an optional review (STOKE-15 "if necessary") by the pack's ``waivable_by`` role."""
    with transaction.atomic():
        review, programme = _review_locked(review)
        _open(programme)
        prog = programme_rules(programme)
        opt = next((o for o in (prog.reviews.optional if prog and prog.reviews else [])
                    if o.month == review.month), None)
        if opt is None:
            raise ValidationError("The council's policy does not let this review be waived.")
        _require(actor, programme, (opt.waivable_by,), "waive this review")
        if review.held_on:
            raise ValidationError("A held review cannot be waived.")
        if opt.reason_required and not reason.strip():
            raise ValidationError({"reason": "Give the reason the review is not needed."})
        review.waived_on, review.waived_reason = on, reason.strip()
        review.full_clean()
        review.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.review.waived",
                  obj=review, affected_user=programme.membership.user,
                  data={"after": {"reason": review.waived_reason}})
        return review


# ---------------------------------------------------------------- supervision, attendance

def supervision_record(*, actor: Membership, programme: AsyeProgramme, held_on: dt.date,
                       kind: str = SupervisionKind.INDIVIDUAL, note: str = ""
                       ) -> SupervisionSession:
    """A supervision session recorded by the supervisor: the manager, or a role the pack names
    as supervisor in a band (NELC-07: advanced practitioner or case supervisor)."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        prog = programme_rules(programme)
        roles = [Role.LINE_MANAGER.value]
        for band in (prog.supervision.bands if prog and prog.supervision else []):
            roles.extend(r for r in band.supervisor_roles if r not in roles)
        _require(actor, programme, roles, "record supervision")
        if held_on < programme.started_on:
            raise ValidationError({"held_on": "The session cannot be before the programme "
                                              "started."})
        session = SupervisionSession(council=programme.council, programme=programme,
                                     held_on=held_on, supervisor=actor, kind=kind,
                                     note=note.strip(), recorded_by=actor.user)
        session.full_clean()
        session.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.supervision.recorded",
                  obj=session, affected_user=programme.membership.user,
                  data={"after": {"held_on": held_on.isoformat(), "kind": kind}})
        return session


def development_day_create(*, actor: Membership, council: Council, series: str,
                           held_on: dt.date, title: str = "") -> DevelopmentDay:
    """A session of one of the pack's attendance series (the ASYE lead schedules them)."""
    if Role.ASYE_LEAD not in roles_of(actor):
        raise PermissionDenied("Only the ASYE lead schedules development days.")
    with transaction.atomic():
        day = DevelopmentDay(council=council, series=series, held_on=held_on, title=title)
        day.full_clean()
        day.save()
        audit_log(council=council, actor=actor.user, action="asye.day.created", obj=day,
                  data={"after": {"series": series, "held_on": held_on.isoformat()}})
        return day


def attendance_record(*, actor: Membership, programme: AsyeProgramme, day: DevelopmentDay,
                      attended: bool, absence_reason: str = "") -> Attendance:
    """Attendance at a session (NELC-09): attended, or absent with a reason (the pack says
    which reasons are approved). The ASYE lead or the manager records it."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.ASYE_LEAD, Role.LINE_MANAGER), "record attendance")
        if day.council_id != programme.council_id:
            raise ValidationError("No such session.")
        if not attended and not absence_reason:
            raise ValidationError({"absence_reason": "Choose the reason for the absence."})
        row = Attendance(council=programme.council, programme=programme, day=day,
                         attended=attended, absence_reason="" if attended else absence_reason,
                         recorded_by=actor.user)
        row.full_clean()
        row.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.attendance.recorded",
                  obj=row, affected_user=programme.membership.user,
                  data={"after": {"day": day.held_on.isoformat(), "attended": attended,
                                  "reason": row.absence_reason}})
        return row


# ---------------------------------------------------------------------------- observations

def _observation_requirement(programme: AsyeProgramme):
    route = route_of(pack_of(programme), programme.route_slug)
    return next((e for e in (route.evidence if route else [])
                 if e.kind == "direct-observation"), None)


def observation_create(*, actor: Membership, programme: AsyeProgramme, observer: Membership,
                       observed_on: dt.date) -> Observation:
    """Plan an observation with its observer. The observer's standing is checked against the
    pack (STOKE-25: registered, not on an ASYE themselves) and kept on the row."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.SOCIAL_WORKER, Role.LINE_MANAGER, Role.ASYE_LEAD),
                 "plan an observation")
        if observer.council_id != programme.council_id or observer.pk == programme.membership_id:
            raise ValidationError({"observer": "Choose someone else in the council to observe."})
        observer_record = getattr(observer, "career_record", None)
        registered = bool(observer_record and observer_record.swe_registration_number)
        on_asye = observer.asye_programmes.filter(status__in=[
            ProgrammeStatus.ACTIVE, ProgrammeStatus.EXTENDED, ProgrammeStatus.DEFERRED]).exists()
        req = _observation_requirement(programme)
        problems = []
        if req is not None:
            rule = ", ".join(req.rules)
            if req.registration_required and not registered:
                problems.append(f"The observer must be a registered social worker ({rule}).")
            if "on-active-asye" in req.excluded and on_asye:
                problems.append(f"The observer cannot be on an ASYE themselves ({rule}).")
        role = sorted(roles_of(observer))[0] if roles_of(observer) else ""
        if req is not None and req.per_item_roles:
            # NELC-14: each observation fills one slot with its own observer role (one by the
            # ASYE co-ordinator, one by the line manager, one by the line manager or a senior
            # social worker). The observer takes the first open slot their roles fit.
            observer_roles = acting_roles(observer, programme)
            taken = list(programme.observations.values_list("observer_role", flat=True))
            slot = None
            for options in req.per_item_roles:
                fill = next((r for r in options if r in taken), None)
                if fill is not None:
                    taken.remove(fill)
                    continue
                match = next((r for r in options if r in observer_roles), None)
                if match is not None and slot is None:
                    slot = match
            if slot is None:
                open_slots = [" or ".join(r.replace("-", " ") for r in options)
                              for options in req.per_item_roles]
                problems.append(
                    "The observations need, one each: " + "; ".join(open_slots) + ". This "
                    "observer fills none of the observations still to plan "
                    f"({', '.join(req.rules)}).")
            role = slot or role
        if problems:
            raise ValidationError({"observer": problems})
        obs = Observation(council=programme.council, programme=programme, observer=observer,
                          observer_role=role, observer_registered=registered,
                          observer_on_asye=on_asye, observed_on=observed_on)
        obs.full_clean()
        obs.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.observation.planned",
                  obj=obs, affected_user=programme.membership.user,
                  data={"after": {"observer": observer.pk, "on": observed_on.isoformat()}})
        return obs


OBSERVATION_SECTIONS = {
    # section -> (author: "worker" | "observer", fields written, signature field)
    "plan": ("worker", ("plan",), "plan_signed_on"),
    "feedback": ("worker", ("consent_given", "feedback"), "feedback_signed_on"),
    "assessment": ("observer", ("assessment", "kss", "pcf"), "assessment_signed_on"),
    "reflection": ("worker", ("reflection",), "reflection_signed_on"),
}


def observation_section_complete(*, actor: Membership, observation: Observation, section: str,
                                 data: dict, on: dt.date) -> Observation:
    """Write and sign one section; only its author may (the worker, or the observer for the
    assessment). The reflection follows the assessment; feedback needs recorded consent."""
    if section not in OBSERVATION_SECTIONS:
        raise ValidationError("No such section.")
    author, fields, sig = OBSERVATION_SECTIONS[section]
    with transaction.atomic():
        programme = _lock(observation.programme)
        _open(programme)
        obs = Observation.objects.select_for_update(of=("self",)).get(pk=observation.pk)
        is_author = (actor.pk == programme.membership_id if author == "worker"
                     else actor.pk == obs.observer_id)
        if not is_author:
            raise PermissionDenied("Only the author of this section writes and signs it.")
        if getattr(obs, sig):
            raise ValidationError("This section is already signed.")
        if section == "feedback" and not data.get("consent_given"):
            raise ValidationError({"consent_given": "Record the person's consent first."})
        if section == "reflection" and not obs.assessment_signed_on:
            raise ValidationError("The reflection follows the observer's assessment.")
        for name in fields:
            value = data.get(name, getattr(obs, name))
            setattr(obs, name, value.strip() if isinstance(value, str) else value)
        text_field = {"plan": "plan", "feedback": "feedback", "assessment": "assessment",
                      "reflection": "reflection"}[section]
        if not getattr(obs, text_field):
            raise ValidationError({text_field: "Write this section before signing it."})
        setattr(obs, sig, on)
        obs.full_clean()
        obs.save()
        audit_log(council=programme.council, actor=actor.user,
                  action=f"asye.observation.{section}", obj=obs,
                  affected_user=programme.membership.user)
        return obs


# ------------------------------------------------------------------------------- caseload

def open_caseload(programme: AsyeProgramme) -> int:
    """Children on the caseload as the allocated worker (the cap counts these, STOKE-26)."""
    return programme.allocations.filter(ended_on__isnull=True,
                                        role=AllocationRole.ALLOCATED).count()


def current_agreement(programme: AsyeProgramme, kind: str, on: dt.date
                      ) -> ComplexWorkAgreement | None:
    for cwa in programme.complex_work_agreements.filter(agreed_on__isnull=False,
                                                        agreed_on__lte=on):
        if (cwa.ended_on is None or cwa.ended_on > on) and kind in cwa.kinds:
            return cwa
    return None


@dataclass
class AllocationResult:
    allocation: CaseAllocation | None
    allowed: bool
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)


def allocation_check(programme: AsyeProgramme, *, kind: str, qualifier: str, role: str,
                     on: dt.date):
    """The engine's answer for one more case of ``kind`` (and the agreement that counts)."""
    cwa = current_agreement(programme, kind, on)
    person = worker_person(programme, on, reviews_held=reviews_held_of(programme),
                           caseload=open_caseload(programme),
                           complex_work_agreement_on=cwa.agreed_on if cwa else None)
    answer = allocation(pack_of(programme), person, on, kind, qualifier or None, role,
                        programme.route_slug)
    return answer, cwa


def case_allocate(*, actor: Membership, programme: AsyeProgramme, reference: str, kind: str,
                  qualifier: str = "", role: str = AllocationRole.ALLOCATED,
                  on: dt.date) -> AllocationResult:
    """Allocate a child's case (the manager). The engine decides: the cap (STOKE-26), the
    complexity gates by held reviews (STOKE-28..36), a complex work agreement where the pack
    allows one (STOKE-41). A refusal is returned with its reasons and nothing is stored."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.LINE_MANAGER,), "allocate cases")
        answer, cwa = allocation_check(programme, kind=kind, qualifier=qualifier, role=role,
                                       on=on)
        result = AllocationResult(None, answer.allowed, [_message(r) for r in answer.reasons],
                                  [_message(w) for w in answer.warnings],
                                  list(answer.conditions))
        if not answer.allowed:
            return result
        case, _ = Case.objects.get_or_create(council=programme.council,
                                             reference=reference.strip(),
                                             defaults={"kind": kind, "qualifier": qualifier})
        if (case.kind, case.qualifier) != (kind, qualifier):
            case.kind, case.qualifier = kind, qualifier
            case.save(update_fields=["kind", "qualifier"])
        row = CaseAllocation(council=programme.council, case=case, programme=programme,
                             role=role, allocated_on=on, mode=answer.mode,
                             under_agreement=cwa if answer.mode == "allowed-with-agreement"
                             else None, allocated_by=actor.user)
        row.full_clean()
        row.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.case.allocated",
                  obj=row, affected_user=programme.membership.user,
                  data={"after": {"case": case.reference, "kind": kind, "role": role,
                                  "mode": answer.mode, "warnings": result.warnings}})
        result.allocation = row
        return result


def case_end(*, actor: Membership, allocation_row: CaseAllocation, on: dt.date) -> CaseAllocation:
    with transaction.atomic():
        programme = _lock(allocation_row.programme)
        _require(actor, programme, (Role.LINE_MANAGER,), "end an allocation")
        row = CaseAllocation.objects.select_for_update(of=("self",)).get(pk=allocation_row.pk)
        if row.ended_on:
            raise ValidationError("This allocation has already ended.")
        row.ended_on = on
        row.full_clean()
        row.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.case.ended", obj=row,
                  affected_user=programme.membership.user)
        return row


def caseload_breach_report(*, actor: Membership, programme: AsyeProgramme, on: dt.date
                           ) -> CaseloadBreach:
    """STOKE-27: the NQSW reports a breach of the cap; escalates after the pack's timer."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        prog = programme_rules(programme)
        cl = prog.caseload if prog else None
        if cl is None or cl.breach is None:
            raise ValidationError("The council's policy has no caseload breach procedure.")
        _require(actor, programme, (cl.breach.reported_by,), "report a caseload breach")
        if programme.caseload_breaches.filter(resolved_on__isnull=True).exists():
            raise ValidationError("A breach is already reported and not yet resolved.")
        breach = CaseloadBreach(council=programme.council, programme=programme, reported_on=on,
                                reported_by=actor.user, caseload=open_caseload(programme),
                                cap=cl.effective_cap(),
                                escalate_on=breach_escalation_due(pack_of(programme), on))
        breach.full_clean()
        breach.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.breach.reported",
                  obj=breach, affected_user=programme.membership.user,
                  data={"after": {"caseload": breach.caseload, "cap": breach.cap,
                                  "report_to": list(cl.breach.report_to)}})
        return breach


def caseload_breach_resolve(*, actor: Membership, breach: CaseloadBreach, on: dt.date
                            ) -> CaseloadBreach:
    with transaction.atomic():
        programme = _lock(breach.programme)
        _require(actor, programme, (Role.LINE_MANAGER, Role.ASYE_LEAD,
                                    Role.PRINCIPAL_SOCIAL_WORKER), "resolve a breach")
        breach = CaseloadBreach.objects.select_for_update(of=("self",)).get(pk=breach.pk)
        if breach.resolved_on:
            raise ValidationError("This breach is already resolved.")
        breach.resolved_on = on
        breach.full_clean()
        breach.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.breach.resolved",
                  obj=breach, affected_user=programme.membership.user)
        return breach


def caseload_breaches_escalate(*, council: Council, on: dt.date) -> int:
    """Escalate every unresolved breach whose timer has run out (STOKE-27) to the pack's
    ``escalate_to`` roles. Idempotent: an escalated breach is not escalated again. Once the
    transaction commits, the mail task tells the people holding those roles and prompts the
    NQSW (``escalation_notify``)."""
    from progression.tasks import send_asye_escalation

    count = 0
    with transaction.atomic():
        due = (CaseloadBreach.objects.select_for_update(of=("self",))
               .filter(council=council, resolved_on__isnull=True, escalated_on__isnull=True,
                       escalate_on__lte=on).select_related("programme__pack_version",
                                                           "programme__membership__user"))
        for breach in due:
            prog = programme_rules(breach.programme)
            to = list(prog.caseload.breach.escalate_to) if prog and prog.caseload else []
            breach.escalated_on, breach.escalated_to = on, to
            breach.save(update_fields=["escalated_on", "escalated_to"])
            audit_log(council=council, actor=None, action="asye.breach.escalated", obj=breach,
                      affected_user=breach.programme.membership.user,
                      data={"after": {"escalated_to": to}})
            # Queued on commit (TransactionAwareTask): a rollback sends nothing.
            send_asye_escalation.delay(council.pk, kind="breach", object_id=breach.pk)
            count += 1
    return count


def programme_ceilings_escalate(*, council: Council, on: dt.date) -> int:
    """STOKE-13: every programme still open (no hand-over to the panel, so no decision) whose
    ceiling (``latest_end``) is on or before ``on`` is escalated once to the pack's
    ``ceiling.escalate_to`` roles (PCFSW and HR at Stoke), who review next steps. Idempotent:
    an escalated programme is not escalated again. Packs without a ceiling (NELC) have no
    ``latest_end`` and are never escalated."""
    from progression.models import OPEN_PROGRAMME_STATUSES
    from progression.tasks import send_asye_escalation

    count = 0
    with transaction.atomic():
        due = (AsyeProgramme.objects.select_for_update(of=("self",))
               .filter(council=council, status__in=OPEN_PROGRAMME_STATUSES,
                       latest_end__isnull=False, latest_end__lte=on,
                       ceiling_escalated_on__isnull=True)
               .select_related("pack_version", "membership__user"))
        for programme in due:
            prog = programme_rules(programme)
            to = list(prog.ceiling.escalate_to) if prog and prog.ceiling else []
            programme.ceiling_escalated_on, programme.ceiling_escalated_to = on, to
            programme.save(update_fields=["ceiling_escalated_on", "ceiling_escalated_to"])
            audit_log(council=council, actor=None, action="asye.ceiling.escalated",
                      obj=programme, affected_user=programme.membership.user,
                      data={"after": {"escalated_to": to,
                                      "latest_end": programme.latest_end.isoformat()}})
            send_asye_escalation.delay(council.pk, kind="ceiling", object_id=programme.pk)
            count += 1
    return count


def _role_holders(council: Council, roles: list[str]) -> list[Membership]:
    """Active members of ``council`` holding any of ``roles``."""
    if not roles:
        return []
    return list(Membership.objects.filter(council=council, is_active=True,
                                          roles__role__in=roles)
                .select_related("user").distinct().order_by("pk"))


def escalation_notify(*, council: Council, kind: str, object_id: int,
                      site_url: str = "") -> int:
    """E-mail an escalation once (the body of the mail task; safe to run twice).

    ``kind`` ``breach`` (STOKE-27): the escalation roles get the breach and the NQSW is
    prompted that it went to them. ``ceiling`` (STOKE-13): the escalation roles (PCFSW and
    HR) are asked to review next steps, and the NQSW and their manager are told. The row is
    locked and stamped ``notified_at``: a second run sends nothing. Returns mails sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import timezone

    with transaction.atomic():
        if kind == "breach":
            row = (CaseloadBreach.objects.select_for_update(of=("self",))
                   .filter(council=council, pk=object_id).first())
            if row is None or row.notified_at or not row.escalated_on or row.resolved_on:
                return 0
            programme, roles, stamp = row.programme, list(row.escalated_to), "notified_at"
        elif kind == "ceiling":
            row = (AsyeProgramme.objects.select_for_update(of=("self",))
                   .filter(council=council, pk=object_id).first())
            if row is None or row.ceiling_notified_at or not row.ceiling_escalated_on:
                return 0
            programme, roles, stamp = row, list(row.ceiling_escalated_to), "ceiling_notified_at"
        else:
            raise ValueError(f"Unknown escalation kind {kind!r}.")
        worker = programme.membership
        link = site_url.rstrip("/") + reverse(
            "asye_programme", kwargs={"council_slug": council.slug,
                                      "programme_id": programme.pk})
        prog = programme_rules(programme)
        rule = {"breach": "STOKE-27", "ceiling": "STOKE-13"}[kind]
        if prog is not None:
            node = (prog.caseload.breach if kind == "breach" and prog.caseload
                    else prog.ceiling if kind == "ceiling" else None)
            rule = ", ".join(node.rules) if node is not None else rule
        context = {"council": council, "programme": programme, "row": row, "link": link,
                   "worker": worker.user, "rule": rule, "kind": kind,
                   "roles": [r.replace("-", " ") for r in roles]}
        sent = 0
        recipients = {m.user.email for m in _role_holders(council, roles)
                      if m.pk != worker.pk and m.user.email}
        if recipients:
            sent += send_mail(
                subject=render_to_string(f"progression/asye/email/{kind}_escalated_subject.txt",
                                         context).strip(),
                message=render_to_string(f"progression/asye/email/{kind}_escalated.txt",
                                         context),
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=sorted(recipients))
        # The NQSW (and, at the ceiling, their manager) are told where it went.
        told = [worker.user.email]
        if kind == "ceiling" and worker.line_manager_id:
            told.append(worker.line_manager.user.email)
        sent += send_mail(
            subject=render_to_string(f"progression/asye/email/{kind}_prompt_subject.txt",
                                     context).strip(),
            message=render_to_string(f"progression/asye/email/{kind}_prompt.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[e for e in told if e])
        setattr(row, stamp, timezone.now())
        row.save(update_fields=[stamp])
        audit_log(council=council, actor=None, action=f"asye.{kind}.notified", obj=row,
                  affected_user=worker.user, data={"after": {"recipients": len(recipients)}})
        return sent


# ---------------------------------------------------------------- complex work agreement

def cwa_parties(programme: AsyeProgramme) -> tuple[str, ...]:
    prog = programme_rules(programme)
    cwa = prog.complexity.complex_work_agreement if prog and prog.complexity else None
    return tuple(cwa.parties) if cwa else ()


def cwa_create(*, actor: Membership, programme: AsyeProgramme, kinds: list[str],
               arrangements: str, agreed_at: str) -> ComplexWorkAgreement:
    """Draft a complex work agreement (STOKE-41) for kinds the pack gates by agreement."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        if not cwa_parties(programme):
            raise ValidationError("The council's policy has no complex work agreement.")
        _require(actor, programme, (Role.LINE_MANAGER, Role.ASYE_LEAD),
                 "draft a complex work agreement")
        if not kinds:
            raise ValidationError({"kinds": "Choose the kinds of work the agreement covers."})
        cwa = ComplexWorkAgreement(council=programme.council, programme=programme,
                                   kinds=sorted(kinds), arrangements=arrangements.strip(),
                                   agreed_at=agreed_at)
        cwa.full_clean()
        cwa.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.cwa.drafted",
                  obj=cwa, affected_user=programme.membership.user,
                  data={"after": {"kinds": cwa.kinds}})
        return cwa


def cwa_sign(*, actor: Membership, agreement: ComplexWorkAgreement, on: dt.date
             ) -> ComplexWorkAgreement:
    """Sign in each party role the actor holds; agreed once every party signed."""
    with transaction.atomic():
        programme = _lock(agreement.programme)
        _open(programme)
        cwa = ComplexWorkAgreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
        if cwa.ended_on:
            raise ValidationError("This agreement has ended.")
        parties = cwa_parties(programme)
        signed = set(cwa.signatures.values_list("role", flat=True))
        roles = [r for r in parties if r in acting_roles(actor, programme) and r not in signed]
        if not roles:
            raise PermissionDenied("You have no signature left to give on this agreement.")
        for role in roles:
            CwaSignature.objects.create(council=programme.council, agreement=cwa, role=role,
                                        signed_by=actor.user, signed_on=on)
        if set(parties) <= signed | set(roles):
            cwa.agreed_on = on
            cwa.save(update_fields=["agreed_on"])
        audit_log(council=programme.council, actor=actor.user, action="asye.cwa.signed",
                  obj=cwa, affected_user=programme.membership.user,
                  data={"after": {"roles": roles}})
        return cwa


# ----------------------------------------------------------------------------- study days

def study_day_request(*, actor: Membership, programme: AsyeProgramme, on: dt.date,
                      purpose: str) -> StudyDay:
    """STOKE-21: the NQSW asks for a study day, up to the pack's maximum."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.SOCIAL_WORKER,), "ask for a study day")
        prog = programme_rules(programme)
        if not study_day_allowed(pack_of(programme), programme.study_days.count(),
                                 programme.route_slug):
            sd = prog.study_days
            raise ValidationError(f"All {sd.max} study days of the programme are used "
                                  f"({', '.join(sd.rules)}).", code="study-days-used")
        day = StudyDay(council=programme.council, programme=programme, on=on,
                       purpose=purpose.strip(), requested_by=actor.user)
        day.full_clean()
        day.save()
        audit_log(council=programme.council, actor=actor.user, action="asye.study_day.requested",
                  obj=day, affected_user=programme.membership.user)
        return day


def study_day_approve(*, actor: Membership, study_day: StudyDay, on: dt.date) -> StudyDay:
    """Agreed by the pack's approver (STOKE-21: the line manager)."""
    with transaction.atomic():
        programme = _lock(study_day.programme)
        _open(programme)
        prog = programme_rules(programme)
        approver = prog.study_days.approver_role if prog and prog.study_days else None
        _require(actor, programme, (approver or Role.LINE_MANAGER,), "agree study days")
        day = StudyDay.objects.select_for_update(of=("self",)).get(pk=study_day.pk)
        if day.approved_on:
            raise ValidationError("This study day is already agreed.")
        day.approved_by, day.approved_on = actor.user, on
        day.save(update_fields=["approved_by", "approved_on"])
        audit_log(council=programme.council, actor=actor.user, action="asye.study_day.approved",
                  obj=day, affected_user=programme.membership.user)
        return day


# ------------------------------------------------------------- extensions and deferrals

def extension_approve(*, actor: Membership, programme: AsyeProgramme, reason: str,
                      new_end: dt.date, on: dt.date) -> Extension:
    """STOKE-11: approved by the pack's approver role; never past the ceiling (STOKE-13)."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        prog = programme_rules(programme)
        ext = prog.extensions if prog else None
        if ext is None:
            raise ValidationError("The council's policy does not state extensions, so none "
                                  "can be approved here.")
        if ext.approver_role not in roles_of(actor) or actor.council_id != programme.council_id:
            raise PermissionDenied("Only the "
                                   f"{ext.approver_role.replace('-', ' ')} approves extensions.")
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = ["Give the reason for the extension."]
        if new_end <= programme.planned_end:
            errors.setdefault("new_end", []).append(
                f"The new end date must be after the current end, "
                f"{programme.planned_end:%d %B %Y}.")
        person = worker_person(programme, on)
        for r in check_end_date(pack_of(programme), person, new_end, programme.route_slug):
            errors.setdefault("new_end", []).append(_message(r))
        if errors:
            raise ValidationError(errors)
        row = Extension(council=programme.council, programme=programme, reason=reason.strip(),
                        approver_role=ext.approver_role, approved_by=actor.user,
                        approved_on=on, previous_end=programme.planned_end, new_end=new_end)
        row.full_clean()
        row.save()
        programme_transition(programme, ProgrammeStatus.EXTENDED)
        programme.planned_end = new_end
        programme.full_clean()
        programme.save(update_fields=["status", "planned_end"])
        audit_log(council=programme.council, actor=actor.user, action="asye.extended", obj=row,
                  affected_user=programme.membership.user,
                  data={"before": {"end": row.previous_end.isoformat()},
                        "after": {"end": new_end.isoformat()}})
        return row


def deferral_record(*, actor: Membership, programme: AsyeProgramme, reason: str,
                    new_end: dt.date, on: dt.date, note: str = "") -> AssessmentDeferral:
    """STOKE-12: the manager defers the final assessment for a pack reason; the new end never
    passes the ceiling (the deferral does not move it)."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        prog = programme_rules(programme)
        d = prog.deferrals if prog else None
        if d is None:
            raise ValidationError("The council's policy does not state deferrals.")
        role = _require(actor, programme, (d.decided_by,), "defer the assessment")
        errors: dict[str, list[str]] = {}
        if not deferral_allowed(pack_of(programme), reason, programme.route_slug):
            errors["reason"] = [f"The policy allows a deferral only for "
                                f"{', '.join(x.replace('-', ' ') for x in d.reasons)} "
                                f"({', '.join(d.rules)})."]
        if new_end < programme.planned_end:
            errors["new_end"] = ["The new end date cannot be before the current end."]
        person = worker_person(programme, on)
        for r in check_end_date(pack_of(programme), person, new_end, programme.route_slug):
            if r.code == "beyond-ceiling":
                errors.setdefault("new_end", []).append(_message(r))
        if errors:
            raise ValidationError(errors)
        row = AssessmentDeferral(council=programme.council, programme=programme, reason=reason,
                                 decided_by=actor.user, decider_role=role, decided_on=on,
                                 previous_end=programme.planned_end, new_end=new_end,
                                 note=note.strip())
        row.full_clean()
        row.save()
        programme_transition(programme, ProgrammeStatus.DEFERRED)
        programme.planned_end = new_end
        programme.full_clean()
        programme.save(update_fields=["status", "planned_end"])
        audit_log(council=programme.council, actor=actor.user, action="asye.deferred", obj=row,
                  affected_user=programme.membership.user,
                  data={"after": {"reason": reason, "end": new_end.isoformat()}})
        return row


# ---------------------------------------------------------------------------- final report

def final_report_submit(*, actor: Membership, programme: AsyeProgramme, recommendation: str,
                        summary: str, on: dt.date) -> FinalReport:
    """The manager's final report and pass/fail recommendation, signed by the manager."""
    with transaction.atomic():
        programme = _lock(programme)
        _open(programme)
        _require(actor, programme, (Role.LINE_MANAGER,), "write the final report")
        if FinalReport.objects.filter(programme=programme).exists():
            raise ValidationError("The final report is already submitted.")
        report = FinalReport(council=programme.council, programme=programme,
                             recommendation=recommendation, summary=summary.strip(),
                             submitted_by=actor.user, submitted_on=on, manager_signed_on=on)
        report.full_clean()
        report.save()
        programme_transition(programme, ProgrammeStatus.FINAL_REPORT)
        programme.save(update_fields=["status"])
        audit_log(council=programme.council, actor=actor.user, action="asye.final_report.submitted",
                  obj=report, affected_user=programme.membership.user,
                  data={"after": {"recommendation": recommendation}})
        return report


def final_report_sign(*, actor: Membership, report: FinalReport, on: dt.date) -> FinalReport:
    """The assessor's sign-off; with the manager's already given, the report is handed to the
    council's panel or moderation process."""
    with transaction.atomic():
        programme = _lock(report.programme)
        report = FinalReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if not (ASSESSOR_ROLES & acting_roles(actor, programme)):
            raise PermissionDenied("Only an assessor or the ASYE lead signs the final report.")
        if actor.user_id == report.submitted_by_id:
            raise ValidationError("The assessor's sign-off must come from someone other than "
                                  "the report's author.")
        if report.assessor_signed_on:
            raise ValidationError("The assessor has already signed.")
        report.assessor_signed_by, report.assessor_signed_on = actor.user, on
        report.handed_to_panel_on = on
        report.save(update_fields=["assessor_signed_by", "assessor_signed_on",
                                   "handed_to_panel_on"])
        programme_transition(programme, ProgrammeStatus.WITH_PANEL)
        programme.save(update_fields=["status"])
        audit_log(council=programme.council, actor=actor.user, action="asye.final_report.signed",
                  obj=report, affected_user=programme.membership.user,
                  data={"after": {"handed_to_panel_on": on.isoformat()}})
        return report

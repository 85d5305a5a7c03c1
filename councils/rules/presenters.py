"""The "Our rules" page's presentation of a rule pack: plain data the template loops over.

Built from the validated pydantic ``RulePack`` so the template holds no logic: every element
becomes a ``Block`` (title, rule IDs, rows of label/value, child blocks). A field the pack
lists in ``not_stated`` becomes a row reading "Not stated in policy"; a field that is simply
empty (and not listed) is left out, because the policy then says nothing that needs showing.

Most elements are rendered generically (field name -> readable label, value -> readable
text). Eligibility conditions, calendars and pay get sentences of their own because a
generic rendering of them would not read as policy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from councils.models import Role
from councils.rules import schema as s

NOT_STATED = "Not stated in policy"

# Readable labels where the field name alone reads badly.
LABELS: dict[str, str] = {
    "full_time_months": "Full time",
    "part_time_months": "Part time",
    "part_time_when": "Part time when",
    "part_time_not_stated": "Part-time end date when no part-time length is stated",
    "counts_credit": "Counts credited months",
    "escalate_to": "Escalated to",
    "minimum_total_months": "Minimum total (months)",
    "decided_by": "Decided by",
    "approver_role": "Approved by",
    "consulted_roles": "Consulted",
    "within_ceiling": "Within the ceiling",
    "moves_ceiling": "Moves the ceiling",
    "with_roles": "With",
    "allocation_warning": "Warning when allocating during induction",
    "completion_recorded": "Completion recorded",
    "due_within": "Due within",
    "convened_by": "Convened by",
    "fields": "Required content",
    "conditional_fields": "Extra content by team",
    "held_when_signed_by": "Held when signed by",
    "during_extension": "During an extension",
    "after_last": "After the last band",
    "measured_on": "Measured in",
    "max_gap": "Longest gap",
    "supervisor_roles": "Supervised by",
    "approved_absence_reasons": "Approved absence reasons",
    "panel_override": "Panel may override",
    "report_only": "Report only",
    "run_by": "Run by",
    "configured_by": "Configured by",
    "monitored_at_reviews": "Monitored at reviews",
    "percent_of_reference": "Per cent of the reference caseload",
    "reference_caseload": "Reference caseload",
    "warn_roles": "Warned",
    "report_to": "Reported to",
    "timer_days": "Escalation after (days)",
    "reported_by": "Reported by",
    "before_review": "Before the review at month",
    "co_work_allowed": "Co-working allowed",
    "lifts_when": "Gates lift",
    "review_month": "Review at month",
    "requires_readiness": "Readiness must be recorded",
    "reallocation_on_change_to": "Reallocate when a case becomes",
    "reallocation_task_role": "Reallocation task for",
    "agreed_at": "Agreed at",
    "covers_kinds": "Covers the gated kinds",
    "ends_when": "Ends when",
    "unlisted_kind": "Kinds not listed",
    "author_roles": "Written by (any of)",
    "observer_roles": "Observed by (any of)",
    "per_item_roles": "One item each by",
    "signatory_roles": "Signed by (all of)",
    "any_signatory_roles": "Signed off by (any of)",
    "excluded_roles": "Not by",
    "excluded": "Excluded",
    "registration_required": "Author must be registered",
    "recency": "Recency",
    "before": "Dated before",
    "words": "Word guidance",
    "coverage": "Framework coverage",
    "anonymisation_attestation": "Anonymisation attested",
    "mandatory_fields": "Mandatory fields",
    "suggested_tags": "Suggested tags",
    "consent_recorded": "Consent recorded",
    "assessed_by_panel": "Assessed by a panel of",
    "from_pool": "Drawn from",
    "may_draw_randomly": "May be drawn at random",
    "worker_excluded": "Worker excluded from choosing",
    "verified_items": "Verified instead of evidenced",
    "verified_by": "Verified by",
    "not_allocated_marked": "Items not allocated marked",
    "chosen_by": "Chosen by",
    "author_role": "Written by",
    "support_role": "Supported by",
    "decline_allowed": "May be declined",
    "overdue_flag": "Flagged when overdue",
    "eligible_roles": "Who may be lead assessor",
    "appointed_by": "Appointed by",
    "initial_meeting_required": "Initial meeting required",
    "initial_meeting_attendees": "Initial meeting attendees",
    "initial_meeting_covers": "Initial meeting covers",
    "meeting_frequency": "Meeting frequency",
    "additional_sittings": "Additional sittings",
    "weekend_policy": "Weekends and bank holidays",
    "soft_deadline": "Deadline before submission",
    "submission_date": "Submission date",
    "submission_late": "Late submission",
    "timing_agreed_by": "Timing agreed by",
    "scorer_role": "Scored by",
    "pass_mark": "Pass mark",
    "all_scored_before_listing": "All elements scored before listing",
    "report_and_recommendation": "Report and recommendation",
    "chair_role": "Chair",
    "chair_designated_by_admin": "Chair designated by the administrator",
    "co_optable": "May co-opt",
    "worker_attends": "Worker attends",
    "listing_requires": "Listing requires",
    "reason_required": "Reason required",
    "reason_required_when_flag": "Reason required when the case is flagged",
    "preconditions": "Only when",
    "effect": "Effect",
    "to_level": "New level",
    "effective_date": "Effective date",
    "pay_change_assigned_to": "Pay change assigned to",
    "reapply": "Re-application",
    "notifier_role": "Sent by",
    "fallback_role": "Fallback sender",
    "trigger": "Trigger",
    "against_outcomes": "Against outcomes",
    "reasons_required": "Reasons required",
    "addressee_role": "Addressed to",
    "setup_deadline": "Set up within",
    "set_up_by": "Set up by",
    "independent_of_case": "Independent of the case",
    "appellant_attendance": "Appellant attendance",
    "decision_deadline": "Decision within",
    "below_level": "Below level",
    "notify_roles": "Notified",
    "task_title": "Task",
    "reminder_before": "Reminder before",
    "kept_by_role": "Kept by",
    "locked_at": "Locked at",
    "keep_while": "Kept while",
    "pcf_level": "PCF level",
    "grade_label": "Grade",
    "after_asye_pass_months": "Only after the ASYE pass by (months)",
    "if_applicable": "Only if applicable",
    "qualified_before": "Only if qualified before",
    "qualified_on_or_after": "Only if qualified on or after",
    "flag": "Only when the case is flagged",
    "flag_absent": "Only when the case is not flagged",
    "after_outcome": "Only after the outcome",
    "qa_recorded": "Only once QA is recorded",
    "vacancy": "Vacancy",
    "tasks": "Follow-up tasks",
    "records": "Records",
    "max": "Maximum",
    "min": "Minimum",
    "per": "Per",
    "steps": "Allocation",
}

# Fields never shown as rows (structure, or shown elsewhere on the page).
HIDDEN = {"rules", "not_stated", "slug", "id", "type", "title", "label", "event"}


@dataclass
class Row:
    label: str
    value: str
    not_stated: bool = False


@dataclass
class Block:
    """One policy element: its heading, rule IDs, rows and nested elements."""

    title: str
    rules: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)
    sentence: str = ""
    anchor: str = ""


@dataclass
class Section:
    """A titled part of a route (Eligibility, Programme...), listed in the contents."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)
    not_stated: bool = False
    intro: str = ""


@dataclass
class LevelRow:
    slug: str
    title: str
    order: int
    grade: str
    pay: str
    pcf_level: str
    rules: list[str]


@dataclass
class RouteView:
    slug: str
    title: str
    anchor: str
    summary: str
    rules: list[str]
    sections: list[Section]


@dataclass
class MatrixView:
    rules: list[str]
    advisory: bool
    levels: list[str]
    categories: list[tuple[str, list[list[str]]]]
    questions: list[str]


@dataclass
class ContentsEntry:
    title: str
    anchor: str
    children: list[ContentsEntry] = field(default_factory=list)


@dataclass
class PackView:
    council_name: str
    version: str
    effective_from: dt.date
    service_area: str
    source_seed: str
    frameworks: list[str]
    levels: list[LevelRow]
    routes: list[RouteView]
    escalations: list[Block]
    matrix: MatrixView | None
    catalogue: list[s.RuleEntry]
    contents: list[ContentsEntry]


# --------------------------------------------------------------------------- value formatting


ACRONYMS = {"asye": "ASYE", "rcr": "RCR", "pcf": "PCF", "kss": "KSS", "fte": "FTE", "hr": "HR",
            "qa": "QA", "cwa": "CWA", "eoi": "EoI", "swe": "SWE", "cp": "CP", "cic": "CiC",
            "pe": "PE", "css": "CSS", "fast": "FAST", "cwd": "CWD", "iqap": "IQAP",
            "eqap": "EQAP", "n/a": "n/a", "pdp": "PDP", "ccr": "CCR"}
FRAMEWORKS = {"kss-child-family": "KSS child and family", "kss-adults": "KSS adults",
              "pcf": "PCF", "swe-standards": "SWE professional standards"}


def human(slug: str) -> str:
    """``line-manager`` -> "Line manager" (a known role gets its display label)."""
    if slug in FRAMEWORKS:
        return FRAMEWORKS[slug]
    try:
        return str(Role(slug).label)
    except ValueError:
        words = str(slug).replace("-", " ").replace("_", " ").split(" ")
        words = [ACRONYMS.get(w.lower(), w) for w in words]
        text = " ".join(words)
        return text[:1].upper() + text[1:]


def phrase(slug: str) -> str:
    """``human`` for use inside a sentence: lower-case first letter unless an acronym."""
    text = human(slug)
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def label_for(name: str) -> str:
    return LABELS.get(name, human(name))


def duration_text(d: s.Duration) -> str:
    parts = []
    for n, unit in ((d.years, "year"), (d.months, "month"), (d.weeks, "week"), (d.days, "day")):
        if n:
            parts.append(f"{n} {unit}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "none"


def deadline_text(d: s.Deadline) -> str:
    if d.hours is not None:
        text = f"{d.hours} clock hours (CONV-03)"
    elif d.working_days is not None:
        text = f"{d.working_days} working days (CONV-02)"
    else:
        text = f"{d.days} calendar days"
    return f"{text} from {phrase(d.anchor)}" if d.anchor else text


def date_text(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def value_text(value: Any) -> str:
    """Readable text for any pack value (used for rows)."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, s.Duration):
        return duration_text(value)
    if isinstance(value, s.Deadline):
        return deadline_text(value)
    if isinstance(value, s.Pay):
        return value.text()
    if isinstance(value, s.RecencyTier):
        return f"at least {value.min} within {duration_text(value.within)} of submission"
    if isinstance(value, s.Words):
        kind = "hard maximum" if value.hard else "suggested"
        each = " per item" if value.per_item else ""
        return f"{value.limit} words{each} ({kind})"
    if isinstance(value, s.Coverage):
        return coverage_text(value)
    if isinstance(value, s.PanelMember):
        return member_text(value)
    if isinstance(value, s.Reminder):
        return f"{duration_text(value.before)} before"
    if isinstance(value, s.SelectionPart):
        who = f" ({human(value.role)})" if value.role else ""
        return f"{value.count} by {phrase(value.method)}{who}"
    if isinstance(value, s.Task):
        return f"{value.title} ({', '.join(human(r) for r in value.roles)})"
    if isinstance(value, s.OutcomeReason):
        extra = ", with text" if value.text_required else ""
        return f"{value.label or human(value.code)}{extra}"
    if isinstance(value, s.OptionalReview):
        return (f"month {value.month}, may be waived by {human(value.waivable_by)}"
                + (" with a reason" if value.reason_required else ""))
    if isinstance(value, s.GateStep):
        when = (f"before the month-{value.before_review} review" if value.before_review
                else "until the gates lift")
        text = f"{when}: {phrase(value.mode)}"
        extras = []
        if value.co_work_allowed and value.mode != "co-work-only":
            extras.append("co-working allowed")
        if value.overridable:
            extras.append("a manager may allocate outside the policy with a Complex Work Agreement")
        if value.conditions:
            extras.append("conditions: " + "; ".join(value.conditions))
        return text + (f" ({'; '.join(extras)})" if extras else "")
    if isinstance(value, s.FinalReview):
        text = f"{'Panel' if value.kind == 'panel' else 'Final review'}"
        text += f" at month {value.month}" if value.month else ""
        if value.last_review_held:
            text += "; the final review is the last review held"
        return text
    if isinstance(value, s.DayMonth):
        return dt.date(2000, value.month, value.day).strftime("%d %B").lstrip("0")
    if isinstance(value, BaseModel):
        rows = node_rows(value)
        return "; ".join(f"{r.label}: {r.value}" for r in rows) or "Yes"
    if isinstance(value, dict):
        return "; ".join(f"{human(str(k))}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        # Role labels may hold commas ("Practice manager, SW professional development").
        long_text = any(isinstance(v, str) and ("," in v or len(v) > 40) for v in value)
        sep = "; " if long_text or (value and isinstance(
            value[0], s.PanelMember | s.Task | s.GateStep)) else ", "
        return sep.join(value_text(v) for v in value)
    if isinstance(value, str):
        return human(value) if re.fullmatch(s.SLUG_RE, value) else value
    return str(value)


def coverage_text(c: s.Coverage) -> str:
    items = c.items
    if items == "all":
        what = "every item"
    elif items == "allocated":
        what = "the allocated items"
    elif items:
        what = "items " + ", ".join(str(i) for i in items)
    else:
        what = "the framework"
    text = f"{human(c.framework)}: {what}"
    if c.levels:
        text += " at level " + " or ".join(phrase(lv) for lv in c.levels)
    if c.min_per_item > 1:
        text += f", each on at least {c.min_per_item} items"
    return text + (" (warns)" if c.severity == "warn" else " (required)")


def member_text(m: s.PanelMember) -> str:
    text = human(m.role) + (f" x{m.count}" if m.count > 1 else "")
    if m.optional:
        text += " (optional)"
    if m.note:
        text += f" ({m.note})"
    return text


def node_rows(node: BaseModel, *, skip: set[str] = frozenset()) -> list[Row]:
    """Rows for every stated or not-stated field of ``node`` (not nested rule-bearing ones)."""
    rows: list[Row] = []
    not_stated = getattr(node, "not_stated", [])
    for name in type(node).model_fields:
        if name in HIDDEN or name in skip:
            continue
        if name in not_stated:
            rows.append(Row(label_for(name), NOT_STATED, not_stated=True))
            continue
        value = getattr(node, name)
        if value in (None, [], {}, "") or _is_ruled(value):
            continue
        if value is False and type(node).model_fields[name].default is False:
            continue  # an option the policy does not switch on: nothing to say
        if isinstance(value, int) and not isinstance(value, bool) and name.endswith("months"):
            rows.append(Row(label_for(name), f"{value} month{'s' if value != 1 else ''}"))
            continue
        if name.endswith("months") and isinstance(value, list):
            rows.append(Row(label_for(name), "months " + ", ".join(str(v) for v in value)))
            continue
        if name == "per_item_roles":
            rows.append(Row(label_for(name), "; ".join(
                f"item {i}: " + " or ".join(human(r) for r in roles)
                for i, roles in enumerate(value, start=1))))
            continue
        rows.append(Row(label_for(name), value_text(value)))
    return rows


def _is_ruled(value: Any) -> bool:
    if isinstance(value, s.Ruled):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, s.Ruled) for v in value)


def node_block(title: str, node: BaseModel, *, skip: set[str] = frozenset(),
               sentence: str = "") -> Block:
    """A block for ``node``; nested rule-bearing elements become child blocks."""
    block = Block(title=title, rules=list(getattr(node, "rules", [])), sentence=sentence,
                  rows=node_rows(node, skip=skip))
    for name in type(node).model_fields:
        if name in HIDDEN or name in skip:
            continue
        value = getattr(node, name)
        if isinstance(value, s.Ruled):
            block.children.append(node_block(label_for(name), value))
        elif _is_ruled(value):
            for child in value:
                skip_child = {"kind", "qualifier"} if isinstance(child, s.ComplexityGate) else set()
                block.children.append(node_block(_child_title(name, child), child,
                                                 skip=skip_child))
    return block


def _child_title(name: str, child: Any) -> str:
    if isinstance(child, s.ComplexityGate):
        return human(child.kind) + (f" ({phrase(child.qualifier)})" if child.qualifier else "")
    for attr in ("title", "label", "slug", "kind", "id", "event"):
        value = getattr(child, attr, None)
        if value:
            return value if attr in ("title", "label") else human(value)
    return label_for(name)


# --------------------------------------------------------------------------- sentences


def condition_sentence(pack: s.RulePack, cond: Any) -> str:
    """One eligibility condition as a sentence a worker's manager would recognise."""
    if isinstance(cond, s.CurrentLevel):
        return "Currently at " + " or ".join(_level_title(pack, lv) for lv in cond.levels) + "."
    if isinstance(cond, s.AsyeCompleted):
        return ("The ASYE has been completed." if cond.required
                else "The ASYE has not yet been completed.")
    if isinstance(cond, s.QualifiedWithin):
        anchor = "the ASYE start" if cond.anchor == "asye-start" else "the date asked"
        return f"Qualified no more than {cond.months} months before {anchor}."
    if isinstance(cond, s.PriorAsye):
        return (f"An ASYE completed elsewhere: {cond.completed}; an ASYE partly completed "
                f"elsewhere: {cond.partial}.")
    if isinstance(cond, s.Agency):
        return "Agency workers may apply." if cond.allowed else "Agency workers may not apply."
    if isinstance(cond, s.TeamTags):
        parts = []
        if cond.allow_any:
            parts.append("teams tagged " + ", ".join(cond.allow_any))
        if cond.deny_any:
            parts.append("never teams tagged " + ", ".join(cond.deny_any))
        if cond.flag_any:
            parts.append("teams tagged " + ", ".join(cond.flag_any) + " need extra arrangements")
        parts.append(f"other teams: {cond.unlisted}")
        return "Team: " + "; ".join(parts) + "."
    if isinstance(cond, s.TimeSince):
        anchor = {"registration": "registration with Social Work England",
                  "qualification": "qualification",
                  "later-of-registration-and-practice-start":
                      "registration or starting in practice, whichever is later"}[cond.from_]
        measure = ("pro rata for part-time work (CONV-05)" if cond.measure == "pro-rata"
                   else "calendar months (CONV-01)")
        text = f"At least {cond.months} months since {anchor}, in {measure}"
        if cond.add_extended_absences:
            text += ", with extended absences added"
        at = {"submission-date": "on the submission date", "sitting-date": "on the panel date",
              "on": "on the date asked"}[cond.at]
        text += f", checked {at}"
        if cond.unscheduled_sitting:
            text += " (the last day of the month while the sitting has no date)"
        return text + "."
    if isinstance(cond, s.RegistrationCurrent):
        return "Social Work England registration has not lapsed."
    return str(cond)


def calendar_sentence(cal: s.Calendar) -> str:
    what = "Panels sit" if cal.what == "panel" else "Portfolios are submitted"
    if cal.kind == "fixed-dates":
        return f"{what} on " + ", ".join(value_text(d) for d in cal.dates) + " each year."
    if cal.kind == "nth-weekday" and cal.nth_weekday:
        nw = cal.nth_weekday
        nth = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}[nw.n]
        months = ", ".join(dt.date(2000, m, 1).strftime("%B") for m in nw.months)
        return f"{what} on the {nth} {nw.weekday.capitalize()} of {months}."
    if cal.kind == "month-only":
        months = ", ".join(dt.date(2000, m, 1).strftime("%B") for m in cal.months)
        return (f"{what} in {months}; the administrator sets the exact date (CONV-06).")
    if cal.kind == "admin-scheduled":
        per = f" {cal.per_year} times a year" if cal.per_year else ""
        return f"{what}{per} on dates the administrator schedules."
    if cal.kind == "after-qa":
        return f"{what} as soon as possible after quality assurance."
    if cal.kind == "end-of-programme":
        return f"{what} at the end of the programme."
    return "No submission calendar."


def _level_title(pack: s.RulePack, slug: str) -> str:
    for lv in pack.levels:
        if lv.slug == slug:
            return lv.title
    return slug


# --------------------------------------------------------------------------- the page


ROUTE_SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    # (title, anchor suffix, route fields shown in it)
    ("Eligibility", "eligibility", ("opening", "eligibility")),
    ("Programme and timeline", "programme", ("programme",)),
    ("Expression of intent and lead assessor", "intent",
     ("expression_of_intent", "lead_assessor")),
    ("Evidence", "evidence", ("evidence", "selections", "evidence_retention")),
    ("Sign-offs", "signoffs", ("signoffs",)),
    ("Submission calendar", "calendar", ("calendar",)),
    ("Quality assurance and scoring", "qa", ("qa_stages", "scoring")),
    ("Panel", "panel", ("panel",)),
    ("Outcomes and their effects", "outcomes", ("outcomes",)),
    ("Appeals", "appeals", ("appeals",)),
    ("Notifications", "notifications", ("notifications",)),
    ("Guidance for the worker", "guidance", ("guidance", "flags")),
]

PROGRAMME_PARTS: list[tuple[str, str]] = [
    ("length", "Length"), ("ceiling", "Ceiling"), ("credit", "Credit for earlier ASYE"),
    ("extensions", "Extensions"), ("deferrals", "Assessment deferrals"),
    ("induction", "Induction"), ("learning_agreement", "Learning agreement"),
    ("reviews", "Reviews"), ("supervision", "Supervision"), ("attendance", "Attendance"),
    ("study_days", "Study days"), ("mandatory_training", "Mandatory training"),
    ("caseload", "Caseload cap"), ("complexity", "Complexity gates and the Complex Work Agreement"),
]


def _section_blocks(pack: s.RulePack, route: s.Route, name: str) -> list[Block]:
    value = getattr(route, name)
    if name == "eligibility":
        return [Block(title=f"Condition {i}", rules=list(c.rules),
                      sentence=condition_sentence(pack, c))
                for i, c in enumerate(value, start=1)]
    if name == "opening" and value is not None:
        return [node_block("Opening the route", value)]
    if name == "programme" and value is not None:
        return _programme_blocks(value)
    if name == "evidence":
        return [node_block(e.title or human(e.kind), e, skip={"kind", "min", "max"},
                           sentence=f"Kind: {human(e.kind)}; at least {e.min}"
                           + (f", at most {e.max}" if e.max else "") + ".")
                for e in value]
    if name == "calendar" and value is not None:
        return [node_block("Calendar", value, skip={"kind", "dates", "nth_weekday", "months"},
                           sentence=calendar_sentence(value))]
    if name == "outcomes":
        return [_outcome_block(pack, o) for o in value]
    if name == "signoffs":
        return [node_block(f"{human(x.role)} {x.action} the "
                           f"{phrase(x.subject or 'case')}", x,
                           skip={"role", "action", "subject"}) for x in value]
    if name in ("guidance", "flags") and value:
        title = "Guidance" if name == "guidance" else "Case flags"
        return [Block(title=title, rows=[Row(str(i), value_text(v))
                                         for i, v in enumerate(value, start=1)])]
    if isinstance(value, list):
        return [node_block(_child_title(name, v), v) for v in value]
    if isinstance(value, BaseModel):
        return [node_block(label_for(name), value)]
    return []


def _programme_blocks(prog: s.Programme) -> list[Block]:
    blocks: list[Block] = []
    silent = Block(title="Not stated in policy", rules=list(prog.rules))
    for name, title in PROGRAMME_PARTS:
        value = getattr(prog, name)
        if name in prog.not_stated:
            silent.rows.append(Row(title, NOT_STATED, not_stated=True))
        elif isinstance(value, list):
            blocks.extend(node_block(f"{title}: {v.title}", v) for v in value)
        elif value is not None:
            # What happens when no part-time length is stated says nothing where one is.
            skip = ({"part_time_not_stated"} if isinstance(value, s.ProgrammeLength)
                    and value.part_time_months is not None else set())
            blocks.append(node_block(title, value, skip=skip))
    if prog.supervision is not None:
        # Bands read better as one sentence each than as nested rows.
        sup = blocks[[b.title for b in blocks].index("Supervision")]
        for i, band in enumerate(prog.supervision.bands, start=1):
            end = f" to {duration_text(band.end)}" if band.end else " onwards"
            start = duration_text(band.start)
            start = "the start" if start == "none" else f"{start} after the start"
            who = (" by " + ", ".join(human(r) for r in band.supervisor_roles)
                   if band.supervisor_roles else "")
            sup.rows.insert(i - 1, Row(
                f"Band {i}", f"from {start}{end}: {band.frequency} "
                f"(at most {duration_text(band.max_gap)} apart){who}"))
        sup.rows = [r for r in sup.rows if r.label != "Bands"]
    if silent.rows:
        blocks.append(silent)
    return blocks


def _outcome_block(pack: s.RulePack, o: s.Outcome) -> Block:
    block = node_block(o.label or human(o.slug), o, skip={"effect"},
                       sentence=f"Outcome {o.slug}.")
    effect = node_block("Effect", o.effect)
    if o.effect.to_level:
        for row in effect.rows:
            if row.label == "New level":
                row.value = _level_title(pack, o.effect.to_level)
    elif "to_level" not in o.effect.not_stated:
        effect.rows.insert(0, Row("New level", "Unchanged"))
    block.children.insert(0, effect)
    return block


def _route_view(pack: s.RulePack, route: s.Route) -> RouteView:
    anchor = f"route-{route.slug}"
    sections: list[Section] = []
    for title, suffix, names in ROUTE_SECTIONS:
        section = Section(title=title, anchor=f"{anchor}-{suffix}")
        stated = [n for n in names if n not in route.not_stated]
        if len(stated) < len(names):
            missing = [label_for(n) for n in names if n in route.not_stated]
            section.intro = f"{', '.join(missing)}: {NOT_STATED.lower()}."
            section.not_stated = not stated
        for name in stated:
            section.blocks.extend(_section_blocks(pack, route, name))
        if section.blocks or section.intro:
            sections.append(section)
    to = (_level_title(pack, route.to_level) if route.to_level
          else " or ".join(_level_title(pack, t) for t in route.target_levels)
          or "no change of level")
    summary = f"From {_level_title(pack, route.from_level)} to {to}."
    return RouteView(route.slug, route.title, anchor, summary, list(route.rules), sections)


def _level_row(lv: s.Level) -> LevelRow:
    pay = NOT_STATED if ("pay" in lv.not_stated or lv.pay is None) else lv.pay.text()
    grade = NOT_STATED if "grade_label" in lv.not_stated else (lv.grade_label or "")
    pcf = NOT_STATED if "pcf_level" in lv.not_stated else human(lv.pcf_level or "")
    return LevelRow(lv.slug, lv.title, lv.order, grade, pay, pcf, list(lv.rules))


def _escalation_block(e: s.Escalation) -> Block:
    return node_block(human(e.slug), e)


def _matrix_view(pack: s.RulePack) -> MatrixView | None:
    m = pack.allocation_matrix
    if m is None:
        return None
    levels: list[str] = []
    for cat in m.categories:
        for lv in cat.levels:
            if lv not in levels:
                levels.append(lv)
    order = {lv.slug: lv.order for lv in pack.levels}
    levels.sort(key=lambda lv: order.get(lv, 0), reverse=True)
    cats = [(human(cat.slug), [cat.levels.get(lv, []) for lv in levels]) for cat in m.categories]
    return MatrixView(list(m.rules), m.advisory, [_level_title(pack, lv) for lv in levels], cats,
                      list(m.complexity_questions))


def present_pack(pack: s.RulePack) -> PackView:
    """The whole "Our rules" page of ``pack``: levels, routes, escalations, matrix, catalogue."""
    routes = [_route_view(pack, r) for r in pack.routes]
    contents = [ContentsEntry("Levels and pay", "levels")]
    for r in routes:
        contents.append(ContentsEntry(r.title, r.anchor,
                                      [ContentsEntry(sec.title, sec.anchor) for sec in r.sections]))
    escalations = [_escalation_block(e) for e in pack.escalations]
    if escalations:
        contents.append(ContentsEntry("Escalations", "escalations"))
    matrix = _matrix_view(pack)
    if matrix is not None:
        contents.append(ContentsEntry("Allocation matrix", "allocation-matrix"))
    contents.append(ContentsEntry("Rule catalogue", "catalogue"))
    meta = pack.council
    return PackView(
        council_name=meta.name, version=pack.version, effective_from=pack.effective_from,
        service_area=("Children's services" if meta.service_area == "children"
                      else "Adult social care"),
        source_seed=meta.source_seed or "", frameworks=[human(f) for f in pack.frameworks],
        levels=[_level_row(lv) for lv in sorted(pack.levels, key=lambda lv: lv.order)],
        routes=routes, escalations=escalations, matrix=matrix, catalogue=list(pack.rules),
        contents=contents,
    )

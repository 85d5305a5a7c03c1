"""The rule engine: pure functions of (rule pack, person record, dates). No ORM, no clock.

Public facade; see the modules for details.
"""

from progression.engine.allocation import (
    AllocationAnswer,
    allocation,
    gates_lifted,
    matrix_row,
    reallocation_required,
)
from progression.engine.calendar import (
    EscalationDue,
    NextSubmission,
    NotificationDue,
    breach_escalation_due,
    deadline_due,
    escalations_due,
    next_submission,
    notification_deadlines,
)
from progression.engine.casework import (
    EoiSchedule,
    appeal_panel_conflicts,
    eoi_schedule,
    evidence_locked,
)
from progression.engine.checklist import Checklist, RequirementStatus, checklist
from progression.engine.dates import (
    add_clock_hours,
    add_months,
    add_working_days,
    is_working_day,
    months_between,
    pro_rata_reached_on,
    recency_cutoff,
)
from progression.engine.eligibility import (
    Eligibility,
    Reason,
    all_route_eligibility,
    route_eligibility,
    sitting_eligibility,
)
from progression.engine.outcomes import (
    DecisionEffect,
    appeal_due,
    appeal_panel_setup_due,
    decision_effect,
    outcome_problems,
)
from progression.engine.record import (
    Absence,
    AsyeRecord,
    Attempt,
    EvidenceItem,
    HoursEntry,
    PersonRecord,
    ReviewHeld,
    person_from_dict,
)
from progression.engine.sampling import Draw, draw, framework_allocation, random_case_draw, replay
from progression.engine.timeline import (
    AttendanceStatus,
    Timeline,
    asye_timeline,
    attendance_status,
    check_end_date,
    deferral_allowed,
    in_induction,
    study_day_allowed,
    supervision_due_on,
    supervision_frequency,
)

__all__ = [
    "EoiSchedule", "appeal_panel_conflicts", "eoi_schedule", "evidence_locked",
    "Absence", "AllocationAnswer", "AsyeRecord", "Attempt", "AttendanceStatus", "Checklist",
    "DecisionEffect", "Draw", "Eligibility", "EscalationDue", "EvidenceItem", "HoursEntry",
    "NextSubmission", "NotificationDue", "PersonRecord", "Reason", "RequirementStatus",
    "ReviewHeld", "Timeline", "add_clock_hours", "add_months", "add_working_days",
    "all_route_eligibility", "allocation", "appeal_due", "appeal_panel_setup_due",
    "asye_timeline", "attendance_status", "breach_escalation_due", "check_end_date", "checklist",
    "deadline_due", "decision_effect", "deferral_allowed", "draw", "escalations_due",
    "framework_allocation", "gates_lifted", "in_induction", "is_working_day", "matrix_row",
    "months_between", "next_submission", "notification_deadlines", "outcome_problems",
    "person_from_dict", "pro_rata_reached_on", "random_case_draw", "reallocation_required",
    "recency_cutoff", "replay", "route_eligibility", "sitting_eligibility",
    "study_day_allowed", "supervision_due_on",
    "supervision_frequency",
]

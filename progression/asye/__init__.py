"""The ASYE year: programme, learning agreement, reviews, supervision, attendance,
observations, caseload, study days, extensions and the final report (issue 5)."""

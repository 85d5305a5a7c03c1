"""Warnings about likely personal identifiers in written text (DERBY-05, DERBY-16).

A pure function: it finds candidates for the worker to check; it never edits their text and
never blocks on its own (the worker attests anonymisation at submission).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TITLE_NAME = re.compile(
    r"\b(Mr|Mrs|Ms|Miss|Mx|Dr|Master)\.?\s+[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?"
)
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\s*:?\s*"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})",
    re.IGNORECASE,
)
_NHS = re.compile(r"\b(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})\b")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")


@dataclass(frozen=True)
class Finding:
    what: str  # "name with a title", "date of birth", "NHS number", "postcode"
    text: str


def _nhs_valid(digits: str) -> bool:
    # NHS numbers carry a modulus 11 check digit; this avoids flagging any 10-digit number.
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def personal_identifiers(text: str) -> list[Finding]:
    """Likely identifiers in ``text``: names with titles, dates of birth, NHS numbers (valid
    check digit) and UK postcodes. In order of appearance, without duplicates."""
    found: list[tuple[int, Finding]] = []
    for m in _TITLE_NAME.finditer(text):
        found.append((m.start(), Finding("name with a title", m.group(0))))
    for m in _DOB.finditer(text):
        found.append((m.start(), Finding("date of birth", m.group(0))))
    for m in _NHS.finditer(text):
        if _nhs_valid("".join(m.groups())):
            found.append((m.start(), Finding("NHS number", m.group(0))))
    for m in _POSTCODE.finditer(text):
        found.append((m.start(), Finding("postcode", m.group(0))))
    seen: set[Finding] = set()
    out: list[Finding] = []
    for _, f in sorted(found, key=lambda p: p[0]):
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters containing a letter or
    digit."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))

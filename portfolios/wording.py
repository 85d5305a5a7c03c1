"""Plain words for a worker: the engine's checklist messages and the pack's slugs rewritten
for the page ("what I still need"). Presentation only: no rule is decided here, and a
message this module does not recognise is shown as the engine wrote it."""

from __future__ import annotations

import datetime as dt
import re

from councils.models import Role
from councils.rules import frameworks as fw

ROLE_LABELS = {value: label.lower() for value, label in Role.choices}
# A few pack roles that are not platform roles, and the worker's own role.
ROLE_LABELS.update({"nqsw": "newly qualified social worker",
                    "social-worker": "you (the social worker)"})


_ACRONYMS = re.compile(r"\b(kss|pcf|swe|pdp|rcr|asye|ipp|nhs|hr|swpd)\b")


def _acronyms(words: str) -> str:
    return _ACRONYMS.sub(lambda m: m.group(1).upper(), words)


def role_words(role: str) -> str:
    """``asye-lead`` -> ``ASYE lead or co-ordinator``."""
    return _acronyms(ROLE_LABELS.get(role, role.replace("-", " ")))


def slug_words(slug: str) -> str:
    """``all-10-kss-met`` -> ``all 10 KSS met``; ``swe-registration-number`` -> ``SWE
    registration number``."""
    return _acronyms(slug.replace("-", " "))


def _date(iso: str) -> str:
    return f"{dt.date.fromisoformat(iso):%-d %B %Y}"


def _pcf(names: str) -> str:
    return ", ".join(fw.PCF_DOMAINS.get(n.strip(), n.strip()) for n in names.split(","))


_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"^(\d+) more [a-z0-9-]+ needed \((\d+) of (\d+)\)$"),
     lambda m: f"Add {m[1]} more (you have {m[2]} of {m[3]})"),
    (re.compile(r"^(\d+) needed dated on or after (\d{4}-\d{2}-\d{2}) \(have (\d+)\)$"),
     lambda m: f"{m[1]} must be dated on or after {_date(m[2])} (you have {m[3]})"),
    (re.compile(r"^kss-child-family not covered: ([\d, ]+)(?: \(each needs (\d+) items\))?$"),
     lambda m: f"Tag your evidence with KSS {m[1]}"
               + (f" ({m[2]} items for each)" if m[2] else "")),
    (re.compile(r"^pcf not covered: (.+)$"),
     lambda m: f"Tag your evidence with these PCF domains: {_pcf(m[1])}"),
    (re.compile(r"^mandatory field\(s\) missing: (.+)$"),
     lambda m: "Complete these parts of the form: "
               + ", ".join(slug_words(f.strip()) for f in m[1].split(","))),
    (re.compile(r"^an item by (.+)$"),
     lambda m: "One by your " + " or ".join(role_words(r) for r in m[1].split(" or "))),
    (re.compile(r"^anonymisation not attested$"),
     lambda m: "Confirm it is anonymised"),
    (re.compile(r"^(\d+) item\(s\) over the (\d+)-word maximum$"),
     lambda m: f"{m[1]} item(s) over the {m[2]}-word limit: shorten it"),
    (re.compile(r"^(\d+) item\(s\) over the suggested (\d+) words$"),
     lambda m: f"{m[1]} item(s) longer than the suggested {m[2]} words"),
]


def plain(message: str) -> str:
    """The worker-facing wording of one engine checklist message."""
    for pattern, render in _RULES:
        match = pattern.match(message)
        if match:
            return render(match)
    return message

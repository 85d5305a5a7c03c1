"""Reference frameworks as data (domain.md sections 2 and 5).

Packs refer to framework items by these identifiers; the schema refuses anything else
(a KSS statement 11, an unknown PCF domain).
"""

from __future__ import annotations

KSS_CHILD_FAMILY = "kss-child-family"
KSS_ADULTS = "kss-adults"
PCF = "pcf"
SWE_STANDARDS = "swe-standards"

#: The ten child-and-family KSS statements, numbered as in 003_beca269546173a23.txt.
KSS_CHILD_FAMILY_ITEMS: dict[int, str] = {
    1: "Relationships and effective direct work",
    2: "Communication",
    3: "Child development",
    4: (
        "Adult mental ill health, substance misuse, domestic abuse, physical ill health "
        "and disability"
    ),
    5: "Abuse and neglect of children",
    6: "Child and family assessment",
    7: "Analysis, decision-making, planning and review",
    8: "The law and the family and youth justice systems",
    9: "The role of supervision",
    10: "Organisational context",
}

#: PCF domains in order (004_5b66ca4edcf6546b.txt); index + 1 is the domain number.
PCF_DOMAINS: dict[str, str] = {
    "professionalism": "Professionalism",
    "values-and-ethics": "Values and Ethics",
    "diversity-and-equality": "Diversity and Equality",
    "rights-justice-economic-wellbeing": "Rights, Justice and Economic Wellbeing",
    "knowledge": "Knowledge",
    "critical-reflection-and-analysis": "Critical Reflection and Analysis",
    "intervention-and-skills": "Intervention and Skills",
    "contexts-and-organisations": "Contexts and Organisations",
    "professional-leadership": "Professional Leadership",
}
PCF_DOMAIN_SLUGS: tuple[str, ...] = tuple(PCF_DOMAINS)

PCF_LEVELS: dict[str, str] = {
    "asye": "ASYE / NQSW",
    "social-worker": "Social Worker",
    "experienced": "Experienced Social Worker",
    "advanced": "Advanced Social Worker",
}

FRAMEWORKS: dict[str, str] = {
    KSS_CHILD_FAMILY: "Knowledge and skills statement for child and family practitioners",
    KSS_ADULTS: "Knowledge and skills statement for social workers in adult services",
    PCF: "Professional Capabilities Framework",
    SWE_STANDARDS: "Social Work England professional standards",
}


def pcf_domain_slug(value: int | str) -> str:
    """Return the PCF domain slug for a domain number (1-9) or slug; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a PCF domain: {value!r}")
    if isinstance(value, int):
        if 1 <= value <= len(PCF_DOMAIN_SLUGS):
            return PCF_DOMAIN_SLUGS[value - 1]
        raise ValueError(f"PCF domain {value} does not exist (1-9)")
    if value in PCF_DOMAINS:
        return value
    raise ValueError(f"PCF domain {value!r} does not exist")


def check_framework_item(framework: str, item: int | str) -> None:
    """Raise ValueError when ``item`` is not an item of ``framework``."""
    if framework == KSS_CHILD_FAMILY:
        if (isinstance(item, bool) or not isinstance(item, int)
                or item not in KSS_CHILD_FAMILY_ITEMS):
            raise ValueError(f"KSS statement {item!r} does not exist (kss-child-family has 1-10)")
    elif framework == PCF:
        pcf_domain_slug(item)
    elif framework in (KSS_ADULTS, SWE_STANDARDS):
        raise ValueError(f"{framework} has no itemised statements in the reference data")
    else:
        raise ValueError(f"unknown framework {framework!r}")

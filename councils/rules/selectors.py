"""Which rule pack applies: the council's version in force on a date, parsed once per digest."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from councils.models import Council, RulePackVersion
from councils.rules.schema import RulePack


@lru_cache(maxsize=64)
def _parsed(digest: str, version_id: int) -> RulePack:
    # Keyed by digest: stored content never changes for a digest, so the parse is reusable.
    row = RulePackVersion.objects.get(pk=version_id)
    return RulePack.model_validate(row.content)


def pack_version_in_force(*, council: Council, on: dt.date) -> RulePackVersion | None:
    """The newest stored version with ``effective_from`` on or before ``on`` (None if none).

    A case records the version it started under and keeps it (``pack_of_version``)."""
    return (
        RulePackVersion.objects.filter(council=council, effective_from__lte=on)
        .order_by("-effective_from", "-loaded_at")
        .only("id", "digest", "version", "effective_from", "council_id")
        .first()
    )


def pack_of_version(version: RulePackVersion) -> RulePack:
    """The validated RulePack of a stored version (cached per digest within the process)."""
    return _parsed(version.digest, version.pk)


def pack_in_force(*, council: Council, on: dt.date) -> RulePack | None:
    version = pack_version_in_force(council=council, on=on)
    return pack_of_version(version) if version is not None else None

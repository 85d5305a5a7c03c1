"""Storing rule packs in the database (RulePackVersion)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django_scopes import scope

from councils.audit import audit_log
from councils.models import Council, RulePackVersion, User
from councils.rules.loader import canonical_digest, load_pack_file, pack_content, read_yaml
from councils.rules.schema import RulePack


class RulePackConflict(Exception):
    """The pack's version label is already stored for the council with different content."""


def _council_for(pack: RulePack) -> Council:
    meta = pack.council
    council = Council.objects.filter(slug=meta.slug).first()
    if council is None:
        council = Council(name=meta.name, slug=meta.slug, short_name=meta.short_name or "",
                          service_area=meta.service_area, bank_holiday_region=meta.region)
        council.full_clean()
        council.save()
    return council


def rulepack_store(*, pack: RulePack, source: str,
                   actor: User | None = None) -> tuple[RulePackVersion, bool]:
    """Store a validated pack as a RulePackVersion of its council (created if absent).

    Identical content (same canonical digest) changes nothing and returns the stored row with
    ``created=False``. A version label reused with different content raises RulePackConflict.
    """
    digest = canonical_digest(pack)
    with transaction.atomic():
        council = _council_for(pack)
        with scope(council=council):
            existing = (RulePackVersion.objects.select_for_update(of=("self",))
                        .filter(council=council, digest=digest).first())
            if existing is not None:
                return existing, False
            if RulePackVersion.objects.filter(council=council, version=pack.version).exists():
                raise RulePackConflict(
                    f"{council.slug}: version {pack.version!r} is already stored with different "
                    "content; give the changed pack a new version")
            row = RulePackVersion(council=council, version=pack.version,
                                  effective_from=pack.effective_from, digest=digest,
                                  content=pack_content(pack), source=source, loaded_by=actor)
            row.full_clean()
            row.save()
            audit_log(council=council, actor=actor, action="rulepack.loaded", obj=row,
                      data={"after": {"version": pack.version, "digest": digest,
                                      "effective_from": pack.effective_from.isoformat()}})
            return row, True


def rulepack_load(*, path: str | Path, actor: User | None = None) -> tuple[RulePackVersion, bool]:
    """Validate the pack file at ``path`` and store it (see ``rulepack_store``).

    Raises councils.rules.loader.PackError / PackValidationError for a bad file.
    """
    p = Path(path)
    pack = load_pack_file(p)
    _, _, text = read_yaml(p)
    return rulepack_store(pack=pack, source=text, actor=actor)


def rulepack_from_version(version: RulePackVersion) -> RulePack:
    """The RulePack of a stored version (validated again from its stored content)."""
    return RulePack.model_validate(version.content)

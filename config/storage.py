"""Static files storage for production: hashed, compressed names served by WhiteNoise.

GOV.UK Frontend's compiled CSS still points at the royal crest (the footer's copyright
logo). Only GOV.UK may use the crest, so it is deliberately not shipped and no template
uses that class. Hashing every other reference stays strict: a missing file that is not
listed here still fails ``collectstatic``.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Files GOV.UK Frontend's CSS refers to that this service must not ship.
OMITTED_BRAND_ASSETS = frozenset({"govuk/assets/images/govuk-crest.svg"})


class ProductionStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """``CompressedManifestStaticFilesStorage`` that leaves omitted brand assets' URLs as is."""

    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        if content is None and name in OMITTED_BRAND_ASSETS and not self.exists(name):
            return name
        return super().hashed_name(name, content, filename)

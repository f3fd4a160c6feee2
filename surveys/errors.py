"""Why a survey action was refused, in words for the person who tried."""

from __future__ import annotations

from core.errors import GrcError


class SurveyError(GrcError):
    """A refused survey action; str() is a translated sentence."""


class SurveyLinkError(SurveyError):
    """A guest's survey link is expired, tampered with, or points at nothing."""

    status = 410
    stay_id: int | None = None  # an expired link's stay (for the guest's language)

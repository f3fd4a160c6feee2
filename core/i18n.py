"""Language helpers used everywhere: which language a person reads, and names kept in two.

Reference data (departments, categories, preference types, tiers, rewards …) carries an English
``name`` and a Chinese ``name_zh``; ``LocalisedName`` picks the one for the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation


def is_chinese(language: str | None = None) -> bool:
    """Whether `language` (default: the active one) is a Chinese language."""
    return (language or translation.get_language() or "").lower().startswith("zh")


def localised(english: str, chinese: str, *, language: str | None = None) -> str:
    """The Chinese text for Chinese readers when there is one, else the English."""
    return chinese if chinese and is_chinese(language) else english


def staff_language(user) -> str:
    """The language a member of staff reads: their own choice, else the hotel's default."""
    return (getattr(user, "language", "") if user is not None else "") or settings.LANGUAGE_CODE


def supported_language(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES ("zh-Hans" → "zh-hans"), or None."""
    if not code:
        return None
    code = code.lower()
    if code in dict(settings.LANGUAGES):
        return code
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    return None


class LocalisedName(models.Model):
    """Abstract base of a model with ``name`` (English) and ``name_zh`` (Chinese) fields.

    ``str()`` and ``display_name`` give the reader's language, so form choices, lists and
    messages need nothing else. Each model declares the two fields (their lengths differ).
    """

    name: str
    name_zh: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localised(self.name, self.name_zh)

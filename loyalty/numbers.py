"""Member numbers: nine digits from a database sequence and a Luhn check digit.

The check digit catches a mistyped digit or two swapped neighbours at the desk before the
lookup runs a query (the same scheme as bank cards).
"""

from __future__ import annotations

import re

from django.db import connection

from loyalty.models import MEMBER_NUMBER_SEQUENCE

MEMBER_NUMBER_LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-‐‑–—]+")


def luhn_check_digit(body: str) -> str:
    """The digit that makes body + digit pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:  # doubled: every second digit counting from the check digit
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def member_number_normalise(raw: str) -> str | None:
    """The canonical digits of a typed member number, or None if it cannot be one.

    Spaces and dashes are ignored ("8800 0000 18", "8800-0000-18"); the length and check digit
    must be right.
    """
    digits = _SEPARATORS.sub("", raw or "")
    if len(digits) != MEMBER_NUMBER_LENGTH or not luhn_valid(digits):
        return None
    return digits


def member_numbers_next(*, count: int = 1) -> list[str]:
    """Fresh member numbers from the database sequence (one query, whatever the count)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [MEMBER_NUMBER_SEQUENCE, count]
        )
        bodies = [str(row[0]) for row in cursor.fetchall()]
    return [body + luhn_check_digit(body) for body in bodies]

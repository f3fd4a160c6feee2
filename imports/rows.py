"""One row of a PMS export turned into guest and stay values, or the reasons it is refused.

Pure functions (no database): the check before the import and the import itself read every
row the same way, so what the preview accepted is what gets written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac

from guests.models import Guest, Stay
from guests.services import birth_date_check, phone_normalise

from .columns import STAY_KEYS

Problem = tuple[str, dict[str, Any]]

MAX_LENGTH = {
    "guest_ref": 100,
    "family_name": 100,
    "given_name": 100,
    "document": 100,
    "company": 200,
    "stay_ref": 50,
    "room_number": 10,
    "room_type": 50,
    "rate_plan": 50,
}
# Two-character family names, so 欧阳娜娜 is 欧阳 / 娜娜 and not 欧 / 阳娜娜.
COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "令狐",
    "端木",
    "西门",
    "独孤",
    "南宫",
    "万俟",
    "闻人",
    "澹台",
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(?:--)?(\d{1,2})[-/.月](\d{1,2})日?$")
GENDERS = {
    "f": Guest.Gender.FEMALE,
    "female": Guest.Gender.FEMALE,
    "女": Guest.Gender.FEMALE,
    "m": Guest.Gender.MALE,
    "male": Guest.Gender.MALE,
    "男": Guest.Gender.MALE,
    "other": Guest.Gender.OTHER,
    "其他": Guest.Gender.OTHER,
}
SOURCES = {
    **{value: value for value in Stay.Source.values},
    "walk-in": Stay.Source.WALK_IN,
    "walkin": Stay.Source.WALK_IN,
    "散客": Stay.Source.WALK_IN,
    "上门": Stay.Source.WALK_IN,
    "直接": Stay.Source.DIRECT,
    "电话": Stay.Source.DIRECT,
    "官网": Stay.Source.WEBSITE,
    "网站": Stay.Source.WEBSITE,
    "ota": Stay.Source.OTA,
    "在线旅行社": Stay.Source.OTA,
    "协议": Stay.Source.CORPORATE,
    "公司": Stay.Source.CORPORATE,
    "travel agent": Stay.Source.TRAVEL_AGENT,
    "旅行社": Stay.Source.TRAVEL_AGENT,
}


@dataclass
class ParsedRow:
    line: int
    guest: dict[str, Any] = field(default_factory=dict)  # Guest fields the file gives
    guest_ref: str = ""
    document_hash: str = ""
    phone: str = ""  # E.164
    company: str = ""
    stay: dict[str, Any] | None = None  # Stay fields, None: a guest without a stay
    stay_ref: str = ""


@lru_cache(maxsize=65_536)
def _phone(raw: str) -> str:
    """phone_normalise, remembered: a guest's number comes back on each of their stays."""
    return phone_normalise(raw)


def document_hash(number: str) -> str:
    """A keyed hash of an ID document number, the same for every spelling of one number."""
    normal = re.sub(r"[\s\-]", "", number).upper()
    return salted_hmac("grc.imports.document", normal).hexdigest()


def name_split(full: str) -> tuple[str, str, str]:
    """(family, given, name order) from one name cell: 陈伟, 欧阳娜娜, Wei Chen, CHEN, Wei."""
    full = " ".join(full.split())
    if "," in full:
        family, _sep, given = full.partition(",")
        return family.strip(), given.strip(), Guest.NameOrder.GIVEN_FIRST
    if _CJK.search(full):
        compact = full.replace(" ", "")
        size = 2 if compact[:2] in COMPOUND_SURNAMES and len(compact) > 2 else 1
        return compact[:size], compact[size:], Guest.NameOrder.FAMILY_FIRST
    given, _sep, family = full.rpartition(" ")
    if not given:
        return full, "", Guest.NameOrder.GIVEN_FIRST
    return family, given, Guest.NameOrder.GIVEN_FIRST


def date_parse(text: str) -> datetime.date | None:
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("¥", "").replace("￥", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        return None
    return value.quantize(Decimal("0.01"))


def row_parse(
    line: int, cells: list[str], mapping: dict[str, int], *, room_types: set[str] | None
) -> tuple[ParsedRow | None, list[Problem]]:
    """The row's values, or None and every reason it is refused. `room_types` are the known
    ones, lower-cased (None: any)."""
    raw = {
        key: (cells[index].strip() if index < len(cells) else "") for key, index in mapping.items()
    }
    problems: list[Problem] = []
    row = ParsedRow(line=line)

    for key, limit in MAX_LENGTH.items():
        if len(raw.get(key, "")) > limit:
            problems.append(("too_long", {"column": key, "max": limit}))

    family, given = raw.get("family_name", ""), raw.get("given_name", "")
    order = Guest.NameOrder.GIVEN_FIRST
    if family and _CJK.search(family):
        order = Guest.NameOrder.FAMILY_FIRST
    if not family and raw.get("name"):
        family, given, order = name_split(raw["name"])
    if not family and given:
        family, given = given, ""
    if not family:
        problems.append(("no_name", {}))
    row.guest.update(family_name=family[:100], given_name=given[:100], name_order=order)

    row.guest_ref = raw.get("guest_ref", "")
    if raw.get("document"):
        row.document_hash = document_hash(raw["document"])
    row.company = raw.get("company", "")[:200]

    if raw.get("phone"):
        try:
            row.phone = _phone(raw["phone"])
        except ValidationError:
            problems.append(("bad_phone", {"value": raw["phone"]}))
    if raw.get("email"):
        email = raw["email"].lower()
        try:
            validate_email(email)
            row.guest["email"] = email
        except ValidationError:
            problems.append(("bad_email", {"value": raw["email"]}))
    if raw.get("birthday"):
        problems += _birthday(raw["birthday"], row)
    if raw.get("gender"):
        gender = GENDERS.get(raw["gender"].lower())
        if gender is None:
            problems.append(("bad_gender", {"value": raw["gender"]}))
        else:
            row.guest["gender"] = gender
    if raw.get("nationality"):
        code = raw["nationality"].upper()
        if re.fullmatch(r"[A-Z]{2}", code):
            row.guest["nationality"] = code
        else:
            problems.append(("bad_nationality", {"value": raw["nationality"]}))

    if any(raw.get(key) for key in STAY_KEYS):
        problems += _stay(raw, row, room_types)
    return (None if problems else row), problems


def _birthday(text: str, row: ParsedRow) -> list[Problem]:
    year: int | None
    day = date_parse(text)
    if day is not None:
        year, month, dom = day.year, day.month, day.day
    else:
        match = _MONTH_DAY.match(text)
        if not match:
            return [("bad_birthday", {"value": text})]
        year, month, dom = None, int(match.group(1)), int(match.group(2))
    try:
        birth_date_check(year=year, month=month, day=dom)
    except ValidationError:
        return [("bad_birthday", {"value": text})]
    row.guest.update(birth_year=year, birth_month=month, birth_day=dom)
    return []


def _stay(raw: dict[str, str], row: ParsedRow, room_types: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    dates: dict[str, datetime.date | None] = {}
    for key in ("arrival", "departure"):
        dates[key] = date_parse(raw.get(key, "")) if raw.get(key) else None
        if raw.get(key) and dates[key] is None:
            problems.append(("bad_date", {"column": key, "value": raw[key]}))
    arrival, departure = dates["arrival"], dates["departure"]
    if not raw.get("arrival") or not raw.get("departure"):
        problems.append(("stay_dates_missing", {}))
    elif arrival and departure and departure <= arrival:
        problems.append(
            (
                "departure_before_arrival",
                {"arrival": arrival.isoformat(), "departure": departure.isoformat()},
            )
        )
    stay: dict[str, Any] = {
        "arrival": arrival,
        "departure": departure,
        "room_number": raw.get("room_number", "").upper()[:10],
        "room_type": raw.get("room_type", "")[:50],
        "rate_plan": raw.get("rate_plan", "")[:50],
    }
    room_type = stay["room_type"]
    if room_type and room_types is not None and room_type.lower() not in room_types:
        problems.append(("unknown_room_type", {"value": room_type}))
    for key in ("spend_room", "spend_fb", "spend_other"):
        text = raw.get(key, "")
        amount = _amount(text) if text else Decimal("0.00")
        if amount is None:
            problems.append(("bad_amount", {"column": key, "value": text}))
        stay[key] = amount
    currency = (raw.get("currency") or "CNY").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        problems.append(("bad_currency", {"value": raw.get("currency", "")}))
    stay["currency"] = currency
    source = raw.get("source", "")
    stay["source"] = SOURCES.get(source.lower(), "") if source else ""
    if source and not stay["source"]:
        problems.append(("unknown_source", {"value": source}))
    row.stay = stay
    row.stay_ref = raw.get("stay_ref", "")
    return problems

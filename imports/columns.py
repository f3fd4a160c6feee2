"""The columns an import reads, the headers (English or Chinese) each is recognised by, and the
reasons a row is refused, in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    aliases: tuple[str, ...]
    example: str = ""
    example_2: str = ""


# The template's headers are the keys; every alias is compared after _header_key().
COLUMNS: tuple[Column, ...] = (
    Column(
        "guest_ref",
        _("PMS profile number"),
        (
            "profile",
            "profileno",
            "profileid",
            "guestid",
            "guestno",
            "guestref",
            "pmsguestid",
            "客人编号",
            "客户编号",
            "档案号",
            "客史号",
            "客史编号",
        ),
        "P-10001",
        "P-10002",
    ),
    Column("name", _("Name"), ("fullname", "guestname", "姓名", "客人姓名"), "", "陈伟"),
    Column(
        "family_name", _("Family name"), ("lastname", "surname", "familyname", "姓"), "Smith", ""
    ),
    Column("given_name", _("Given name"), ("firstname", "givenname", "名"), "Anna", ""),
    Column(
        "phone",
        _("Mobile phone"),
        (
            "mobile",
            "mobileno",
            "mobilephone",
            "tel",
            "telephone",
            "cellphone",
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "联系电话",
        ),
        "+44 7911 123456",
        "138 0013 8000",
    ),
    Column(
        "email",
        _("E-mail"),
        ("mail", "emailaddress", "邮箱", "电子邮件", "电子邮箱", "邮件"),
        "anna.smith@example.com",
        "",
    ),
    Column(
        "document",
        _("ID document number"),
        (
            "documentno",
            "documentnumber",
            "idno",
            "idnumber",
            "passport",
            "passportno",
            "证件号",
            "证件号码",
            "身份证",
            "身份证号",
            "身份证号码",
            "护照号",
        ),
        "123456789",
        "110101199003074477",
    ),
    Column(
        "birthday",
        _("Birthday"),
        ("birthdate", "dateofbirth", "dob", "生日", "出生日期"),
        "1985-04-12",
        "1990-03-07",
    ),
    Column("gender", _("Gender"), ("sex", "性别"), "F", "男"),
    Column("nationality", _("Nationality"), ("country", "国籍"), "GB", "CN"),
    Column("company", _("Company"), ("companyname", "公司", "单位", "公司名称"), "", "Acme"),
    Column(
        "stay_ref",
        _("Reservation number"),
        (
            "reservation",
            "reservationno",
            "confirmation",
            "confirmationno",
            "bookingref",
            "bookingno",
            "stayref",
            "folio",
            "folionumber",
            "resno",
            "订单号",
            "预订号",
            "确认号",
            "预订编号",
            "账单号",
        ),
        "R-50001",
        "R-50002",
    ),
    Column(
        "arrival",
        _("Arrival"),
        ("arrivaldate", "checkin", "checkindate", "入住日期", "到店日期", "抵店日期", "入住"),
        "2026-03-01",
        "2026-03-05",
    ),
    Column(
        "departure",
        _("Departure"),
        ("departuredate", "checkout", "checkoutdate", "离店日期", "退房日期", "离店"),
        "2026-03-04",
        "2026-03-07",
    ),
    Column(
        "room_number", _("Room"), ("room", "roomno", "roomnumber", "房号", "房间号"), "1208", "0906"
    ),
    Column(
        "room_type", _("Room type"), ("roomtype", "房型", "房间类型"), "Deluxe King", "Junior Suite"
    ),
    Column(
        "rate_plan",
        _("Rate plan"),
        ("rateplan", "ratecode", "房价代码", "价格代码"),
        "BAR",
        "Corporate",
    ),
    Column(
        "spend_room",
        _("Room spend"),
        ("roomrevenue", "roomspend", "房费", "房费收入"),
        "2400.00",
        "1100",
    ),
    Column(
        "spend_fb",
        _("Food & beverage spend"),
        ("fbrevenue", "fbspend", "fandb", "餐饮", "餐饮消费"),
        "320.50",
        "0",
    ),
    Column(
        "spend_other",
        _("Other spend"),
        ("otherrevenue", "otherspend", "其他消费", "其他"),
        "0",
        "45",
    ),
    Column("currency", _("Currency"), ("币种",), "CNY", "CNY"),
    Column(
        "source",
        _("Booking source"),
        ("channel", "bookingsource", "来源", "渠道"),
        "website",
        "corporate",
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STAY_KEYS = (
    "stay_ref",
    "arrival",
    "departure",
    "room_number",
    "room_type",
    "rate_plan",
    "spend_room",
    "spend_fb",
    "spend_other",
    "currency",
    "source",
)

_NOT_LETTERS = re.compile(r"[\s_\-./()（）:：&]+")


def _header_key(text: str) -> str:
    return _NOT_LETTERS.sub("", (text or "").strip().lower().lstrip("\ufeff"))


_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    _ALIASES[_header_key(_column.key)] = _column.key
    for _alias in _column.aliases:
        _ALIASES[_header_key(_alias)] = _column.key
_ALIASES["email"] = "email"


def mapping_guess(headers: list[str]) -> dict[str, int]:
    """Field -> column index for every header we recognise (the first column wins a field)."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _ALIASES.get(_header_key(header))
        if key and key not in mapping:
            mapping[key] = index
    return mapping


# Why a row is refused: a code stored with the row, read in the reader's language.
REASONS: dict[str, object] = {
    "no_name": _("The name is missing."),
    "too_long": _("“%(column)s” is longer than %(max)s characters."),
    "bad_date": _("“%(value)s” in “%(column)s” is not a date (use 2026-03-01)."),
    "departure_before_arrival": _(
        "The departure (%(departure)s) is not after the arrival (%(arrival)s)."
    ),
    "stay_dates_missing": _("A stay needs both an arrival and a departure date."),
    "bad_phone": _("“%(value)s” is not a possible phone number."),
    "bad_email": _("“%(value)s” is not an e-mail address."),
    "bad_birthday": _("“%(value)s” is not a possible birthday."),
    "bad_gender": _("“%(value)s” is not a gender we know (F, M, 女, 男)."),
    "bad_nationality": _("“%(value)s” is not a two-letter country code (CN, GB …)."),
    "bad_amount": _("“%(value)s” in “%(column)s” is not an amount."),
    "bad_currency": _("“%(value)s” is not a three-letter currency code."),
    "unknown_source": _("“%(value)s” is not a booking source we know."),
    "unknown_room_type": _("“%(value)s” is not a room type of this hotel."),
    "duplicate_ref": _("Reservation number %(ref)s is already on line %(first)s of this file."),
    "write_failed": _("This row could not be saved: %(error)s"),
}


def reason_text(code: str, params: dict) -> str:
    """The reason in the active language; the column named by its label there too."""
    template = REASONS.get(code)
    if template is None:
        return code
    values = dict(params)
    if "column" in values and values["column"] in COLUMN_BY_KEY:
        values["column"] = str(COLUMN_BY_KEY[values["column"]].label)
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)

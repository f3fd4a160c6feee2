"""Demo guests: Chinese and international names, families, preferences, companies and two
years of stays. Called by `manage.py seed_demo`; running it again adds only what is missing."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from guests.models import (
    Company,
    CompanyContact,
    FamilyMember,
    Guest,
    GuestPhone,
    Preference,
    PreferenceCategory,
    SpecialDate,
    Stay,
)
from guests.services import guest_search_fields, guest_stay_summary_refresh, phone_digits_reversed

DEMO_TAG = "demo"
CHUNK = 5000

CATEGORIES = [
    ("Pillow", "枕头", ["buckwheat", "feather", "memory foam", "荞麦枕", "低枕"]),
    ("Floor", "楼层", ["high", "low", "near the lift", "away from the lift", "高楼层"]),
    ("Diet", "饮食", ["no pork", "vegetarian", "no seafood", "halal", "不吃辣", "少油少盐"]),
    ("Newspaper", "报纸", ["南方周末", "South China Morning Post", "Financial Times", "参考消息"]),
    ("Room temperature", "室温", ["22 °C", "24 °C", "cool", "偏暖"]),
    ("Bed", "床型", ["king", "twin", "extra bed for a child"]),
    ("Wake-up call", "叫醒服务", ["06:30", "07:00", "none"]),
    ("Minibar", "迷你吧", ["remove alcohol", "sparkling water", "green tea"]),
]

CN_FAMILY = [
    ("陈", "Chen"), ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"),
    ("黄", "Huang"), ("林", "Lin"), ("吴", "Wu"), ("周", "Zhou"), ("何", "He"),
    ("郭", "Guo"), ("梁", "Liang"), ("罗", "Luo"), ("郑", "Zheng"), ("谢", "Xie"),
    ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"),
    ("欧阳", "Ouyang"), ("司马", "Sima"),
]  # fmt: skip
CN_GIVEN_M = [
    ("伟", "Wei"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("杰", "Jie"),
    ("涛", "Tao"), ("明", "Ming"), ("志强", "Zhiqiang"), ("建华", "Jianhua"),
    ("晓明", "Xiaoming"), ("子轩", "Zixuan"), ("家豪", "Jiahao"), ("国栋", "Guodong"),
]  # fmt: skip
CN_GIVEN_F = [
    ("芳", "Fang"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"), ("艳", "Yan"),
    ("娟", "Juan"), ("秀英", "Xiuying"), ("嘉欣", "Jiaxin"), ("雨涵", "Yuhan"),
    ("美玲", "Meiling"), ("慧敏", "Huimin"), ("晓红", "Xiaohong"),
]  # fmt: skip
INTL_FAMILY = [
    ("Smith", "GB"), ("Müller", "DE"), ("Tanaka", "JP"), ("Kim", "KR"), ("Rossi", "IT"),
    ("Dubois", "FR"), ("Johnson", "US"), ("Brown", "AU"), ("García", "ES"), ("Nguyen", "VN"),
    ("Tan", "SG"), ("Wong", "HK"), ("Suzuki", "JP"), ("Novak", "CZ"), ("Silva", "BR"),
]  # fmt: skip
INTL_GIVEN_M = ["James", "Thomas", "Hiroshi", "Min-jun", "Marco", "Pierre", "Daniel", "Lucas"]
INTL_GIVEN_F = ["Emma", "Anna", "Yuki", "Ji-woo", "Giulia", "Claire", "Sarah", "Olivia"]
CN_CHILD = ["小宝", "乐乐", "Amy", "Tom", "欣怡", "浩然"]
COMPANY_A = [
    ("Huaxin", "华信"), ("Zhongtai", "中泰"), ("Pearl River", "珠江"), ("Jinling", "金陵"),
    ("Haitong", "海通"), ("Orient", "东方"), ("Lingnan", "岭南"), ("Bayview", "湾景"),
]  # fmt: skip
COMPANY_B = [
    ("Trading", "贸易"), ("Technology", "科技"), ("Pharmaceutical", "医药"),
    ("Logistics", "物流"), ("Holdings", "控股"), ("Securities", "证券"),
    ("Engineering", "工程"), ("Textiles", "纺织"),
]  # fmt: skip
PAUSED_REASONS = [
    "Invoices for March and April unpaid for 90 days; finance is in contact with their CFO.",
    "账户逾期未结，财务部正在与对方财务沟通。",
]
ROOM_TYPES = ["Deluxe King", "Deluxe Twin", "Executive King", "Junior Suite", "Harbour Suite"]
RATE_PLANS = ["BAR", "Corporate", "Advance purchase", "Package B&B", "Long stay"]


def _categories() -> list[tuple[PreferenceCategory, list[str]]]:
    found = []
    for order, (name, name_zh, values) in enumerate(CATEGORIES):
        category, _created = PreferenceCategory.objects.get_or_create(
            name=name, defaults={"name_zh": name_zh, "sort_order": (order + 1) * 10}
        )
        found.append((category, values))
    return found


def _companies(rng: random.Random, count: int, managers: list[User]) -> list[Company]:
    names = []
    for i in range(count):
        a, b = COMPANY_A[i % len(COMPANY_A)], COMPANY_B[(i // len(COMPANY_A)) % len(COMPANY_B)]
        round_ = i // (len(COMPANY_A) * len(COMPANY_B))
        suffix = f" {round_ + 1}" if round_ else ""
        names.append((f"{a[0]} {b[0]}{suffix}", f"{a[1]}{b[1]}{suffix}"))
    existing = set(
        Company.objects.filter(name__in=[n for n, _ in names]).values_list("name", flat=True)
    )
    new = []
    for i, (name, local) in enumerate(names):
        if name in existing:
            continue
        paused = i in (1, 5)
        new.append(
            Company(
                name=name,
                name_local=f"{local}有限公司",
                billing_address=f"{rng.randint(1, 388)} Tianhe Road, Guangzhou",
                tax_id=f"91440101{rng.randint(10**9, 10**10 - 1)}",
                billing_email=f"ap{i}@example.com",
                credit_limit=Decimal(rng.choice([50000, 100000, 200000])),
                charge_privilege=(
                    Company.ChargePrivilege.PAUSED
                    if paused
                    else rng.choice([Company.ChargePrivilege.ACTIVE, Company.ChargePrivilege.NONE])
                ),
                charge_paused_reason=PAUSED_REASONS[i % 2] if paused else "",
                charge_paused_at=timezone.now() if paused else None,
                account_manager=rng.choice(managers) if managers else None,
            )
        )
    Company.objects.bulk_create(new)
    contacts = []
    for company in new:
        contacts.append(
            CompanyContact(
                company=company,
                name=rng.choice(["Ms. Li", "Mr. Zhao", "黄小姐", "Mr. Ho"]),
                title=rng.choice(["Travel coordinator", "Finance", "行政经理"]),
                phone=f"+86138{rng.randint(10**7, 10**8 - 1)}",
                email=f"travel@{company.pk}.example.com",
                is_billing=True,
            )
        )
    CompanyContact.objects.bulk_create(contacts)
    return list(Company.objects.filter(name__in=[n for n, _ in names]))


def _birthday(rng: random.Random, min_age: int, max_age: int, today: date):
    if rng.random() < 0.2:
        return None, None, None
    if rng.random() < 0.01:
        month, day = 2, 29
    else:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
    year = today.year - rng.randint(min_age, max_age) if rng.random() < 0.7 else None
    if year and month == 2 and day == 29 and year % 4:
        year -= year % 4  # a real 29 February
    return year, month, day


def _guest(rng: random.Random, index: int, companies, managers, today: date) -> Guest:
    female = rng.random() < 0.45
    chinese = rng.random() < 0.7
    guest = Guest(gender=Guest.Gender.FEMALE if female else Guest.Gender.MALE, tags=[DEMO_TAG])
    if chinese:
        family_zh, family_py = rng.choice(CN_FAMILY)
        given_zh, given_py = rng.choice(CN_GIVEN_F if female else CN_GIVEN_M)
        guest.nationality = rng.choice(["CN", "CN", "CN", "HK", "TW"])
        if rng.random() < 0.8:
            guest.family_name, guest.given_name = family_zh, given_zh
            guest.name_order = Guest.NameOrder.FAMILY_FIRST
            guest.salutation = (
                f"{family_zh}{rng.choice(['女士', '小姐'])}"
                if female
                else f"{family_zh}{rng.choice(['生', '先生', '总'])}"
            )
            guest.preferred_language = "zh-hans"
        else:
            guest.family_name, guest.given_name = family_py, given_py
            guest.salutation = f"{'Ms.' if female else 'Mr.'} {family_py}"
            guest.preferred_language = "en"
        email_name = f"{given_py}.{family_py}".lower()
        phone = f"+86{rng.choice(['138', '139', '135', '186', '187', '150', '199'])}"
        phone += f"{rng.randint(10**7, 10**8 - 1)}"
    else:
        family, country = rng.choice(INTL_FAMILY)
        guest.family_name = family
        guest.given_name = rng.choice(INTL_GIVEN_F if female else INTL_GIVEN_M)
        guest.nationality = country
        guest.salutation = f"{'Ms.' if female else 'Mr.'} {family}"
        guest.preferred_language = "en"
        email_name = f"{guest.given_name}.{family}".lower().replace("ü", "ue").replace("í", "i")
        phone = rng.choice(
            [
                f"+8529{rng.randint(10**6, 10**7 - 1)}",
                f"+659{rng.randint(10**6, 10**7 - 1)}",
                f"+8190{rng.randint(10**7, 10**8 - 1)}",
                f"+1646{rng.randint(2 * 10**6, 10**7 - 1)}",
            ]
        )
    guest.birth_year, guest.birth_month, guest.birth_day = _birthday(rng, 22, 75, today)
    if rng.random() < 0.6:
        guest.email = f"{email_name}{index}@example.com"
    guest.preferred_channel = rng.choice(list(Guest.Channel.values))
    now = timezone.now()
    if rng.random() < 0.6:
        guest.greetings_consent, guest.greetings_consent_at = True, now
    if rng.random() < 0.3:
        guest.marketing_consent, guest.marketing_consent_at = True, now
    roll = rng.random()
    guest.vip_level = 3 if roll < 0.01 else 2 if roll < 0.03 else 1 if roll < 0.08 else 0
    if rng.random() < 0.2 and companies:
        guest.company = rng.choice(companies)
    if (guest.vip_level or guest.company) and managers:
        guest.account_manager = rng.choice(managers)
    if rng.random() < 0.15:
        guest.tags.append(rng.choice(["business", "family", "golf", "long stay", "honeymoon"]))
    guest_search_fields(guest)
    guest._demo_phone = phone  # used below, never saved
    return guest


def _stays(rng: random.Random, guest: Guest, index: int, today: date) -> list[Stay]:
    stays = []
    in_house = index % 40 == 0
    if index % 10 in (3, 7) and not in_house:
        return stays  # a prospect: no stays yet
    regular = rng.random() < 0.15
    count = rng.randint(4, 24) if regular else rng.randint(1, 3)
    for n in range(count):
        arrival = today - timedelta(days=rng.randint(8, 730))
        nights = rng.randint(1, 5)
        rate = rng.choice([680, 880, 1280, 1880, 3200])
        stays.append(
            Stay(
                guest=guest,
                arrival=arrival,
                departure=arrival + timedelta(days=nights),
                room_number=f"{rng.randint(3, 28)}{rng.randint(1, 40):02d}",
                room_type=rng.choice(ROOM_TYPES),
                rate_plan=rng.choice(RATE_PLANS),
                spend_room=Decimal(rate * nights),
                spend_fb=Decimal(rng.choice([0, 120, 360, 880, 1500])),
                spend_other=Decimal(rng.choice([0, 0, 60, 200])),
                source=rng.choice(list(Stay.Source.values)),
                pms_reference=f"DEMO-{index:07d}-{n:02d}",
            )
        )
    if in_house:
        slot = index // 40
        arrival = today - timedelta(days=rng.randint(0, 2))
        stays.append(
            Stay(
                guest=guest,
                arrival=arrival,
                departure=today + timedelta(days=rng.randint(1, 4)),
                # a distinct room for every guest in-house today
                room_number=f"{3 + (slot // 40) % 26}{slot % 40 + 1:02d}",
                room_type=rng.choice(ROOM_TYPES),
                rate_plan=rng.choice(RATE_PLANS),
                spend_room=Decimal(1280),
                source=Stay.Source.DIRECT,
                pms_reference=f"DEMO-{index:07d}-NOW",
            )
        )
    return stays


def _chunk(rng, start, end, companies, managers, categories, today, referrers) -> None:
    """Build a chunk of guests with everything they own, then write it in a few bulk inserts."""
    guests = [_guest(rng, i, companies, managers, today) for i in range(start, end)]
    phones, family, occasions, preferences, stays = [], [], [], [], []
    for index, guest in zip(range(start, end), guests, strict=True):
        phones.append(
            GuestPhone(
                guest=guest,
                number=guest._demo_phone,
                digits_reversed=phone_digits_reversed(guest._demo_phone),
                label="mobile",
                is_primary=True,
            )
        )
        if rng.random() < 0.35:
            y, m, d = _birthday(rng, 25, 70, today)
            family.append(
                FamilyMember(
                    guest=guest,
                    relation=FamilyMember.Relation.SPOUSE,
                    name=rng.choice(["Linda", "王芳", "Helen", "李静", "Maria"]),
                    birth_year=y,
                    birth_month=m,
                    birth_day=d,
                )
            )
        if rng.random() < 0.25:
            y, m, d = _birthday(rng, 1, 20, today)
            family.append(
                FamilyMember(
                    guest=guest,
                    relation=rng.choice(
                        [FamilyMember.Relation.SON, FamilyMember.Relation.DAUGHTER]
                    ),
                    name=rng.choice(CN_CHILD),
                    birth_year=y,
                    birth_month=m,
                    birth_day=d,
                )
            )
        if rng.random() < 0.15:
            wedding = date(today.year - rng.randint(1, 30), rng.randint(1, 12), rng.randint(1, 28))
            occasions.append(
                SpecialDate(
                    guest=guest,
                    kind=SpecialDate.Kind.WEDDING,
                    date=wedding,
                    month=wedding.month,
                    day=wedding.day,
                )
            )
        for category, values in rng.sample(categories, rng.randint(0, 3)):
            preferences.append(Preference(guest=guest, category=category, value=rng.choice(values)))
        guest_stays = _stays(rng, guest, index, today)
        stays.extend(guest_stays)
        if any(s.arrival <= today < s.departure for s in guest_stays):
            guest.stage = Guest.Stage.IN_HOUSE
        elif guest_stays:
            guest.stage = Guest.Stage.PAST
        elif index % 20 == 7 and referrers:
            guest.stage, guest.referred_by_id = Guest.Stage.REFERRED, rng.choice(referrers)
    Guest.objects.bulk_create(guests, batch_size=2000)
    referrers.extend(g.pk for g in guests[:20] if g.stage == Guest.Stage.PAST)
    GuestPhone.objects.bulk_create(phones, batch_size=2000)
    FamilyMember.objects.bulk_create(family, batch_size=2000)
    SpecialDate.objects.bulk_create(occasions, batch_size=2000)
    Preference.objects.bulk_create(preferences, batch_size=2000, ignore_conflicts=True)
    Stay.objects.bulk_create(stays, batch_size=2000)
    guest_stay_summary_refresh(guest_ids=[g.pk for g in guests], today=today)


def seed(options: dict, stdout) -> None:
    """Create up to options["guests"] demo guests (fewer if some exist already)."""
    started = time.monotonic()
    rng: random.Random = options["rng"]
    wanted = int(options.get("guests") or 0)
    today = timezone.localdate()
    categories = _categories()
    managers = list(User.objects.filter(username__in=["accountmanager", "manager"]))
    companies = _companies(rng, max(8, min(300, wanted // 150)), managers)
    have = Guest.objects.filter(tags__contains=[DEMO_TAG]).count()
    referrers = list(
        Guest.objects.filter(tags__contains=[DEMO_TAG], stage=Guest.Stage.PAST).values_list(
            "pk", flat=True
        )[:20]
    )
    for start in range(have, wanted, CHUNK):
        with transaction.atomic():
            _chunk(
                rng,
                start,
                min(start + CHUNK, wanted),
                companies,
                managers,
                categories,
                today,
                referrers,
            )
    stdout.write(
        f"Guests: {max(wanted - have, 0)} created ({have} were there), "
        f"{len(companies)} companies, in {time.monotonic() - started:.1f}s."
    )

"""Default tiers, earn rules and rewards; the hotel edits them in the admin afterwards.

Created only when missing, so running the migration again never overwrites a hotel's changes.
"""

from django.db import migrations

TIERS = [
    {
        "code": "classic",
        "name": "Classic",
        "name_zh": "经典卡",
        "rank": 10,
        "qualifying_points": 0,
        "qualifying_nights": 0,
        "earn_multiplier": "1.00",
        "benefits": "Member rates, free Wi-Fi and points on every stay.",
        "benefits_zh": "会员价、免费无线网络，每次入住均可累积积分。",
    },
    {
        "code": "silver",
        "name": "Silver",
        "name_zh": "银卡",
        "rank": 20,
        "qualifying_points": 5000,
        "qualifying_nights": 10,
        "earn_multiplier": "1.10",
        "benefits": "10% bonus points; late check-out until 13:00 when available.",
        "benefits_zh": "额外10%积分；视房态可延迟退房至13:00。",
    },
    {
        "code": "gold",
        "name": "Gold",
        "name_zh": "金卡",
        "rank": 30,
        "qualifying_points": 20000,
        "qualifying_nights": 25,
        "earn_multiplier": "1.25",
        "benefits": "25% bonus points; room upgrade when available; late check-out until 14:00; welcome fruit.",
        "benefits_zh": "额外25%积分；视房态升级房型；延迟退房至14:00；欢迎水果。",
    },
    {
        "code": "red",
        "name": "Red",
        "name_zh": "红卡",
        "rank": 40,
        "qualifying_points": 50000,
        "qualifying_nights": 50,
        "earn_multiplier": "1.50",
        "benefits": "50% bonus points; guaranteed room upgrade; executive lounge; late check-out until 16:00; a personal contact.",
        "benefits_zh": "额外50%积分；保证升级房型；行政酒廊礼遇；延迟退房至16:00；专属联系人。",
    },
]

EARN_RULES = [("room", "1.00"), ("fb", "1.00"), ("other", "0.50")]

REWARDS = [
    {
        "code": "late-checkout",
        "kind": "late_checkout",
        "name": "Late check-out until 16:00",
        "name_zh": "延迟退房至16:00",
        "points_cost": 1000,
    },
    {
        "code": "fb-voucher-100",
        "kind": "fb_voucher",
        "name": "Food & beverage voucher, CNY 100",
        "name_zh": "餐饮抵用券100元",
        "points_cost": 2000,
    },
    {
        "code": "room-upgrade",
        "kind": "upgrade",
        "name": "Room upgrade for one night",
        "name_zh": "房型升级一晚",
        "points_cost": 3000,
    },
    {
        "code": "free-night",
        "kind": "free_night",
        "name": "Free night in a deluxe room",
        "name_zh": "豪华客房免费住宿一晚",
        "points_cost": 10000,
    },
]


def forwards(apps, schema_editor):
    Tier = apps.get_model("loyalty", "Tier")
    EarnRule = apps.get_model("loyalty", "EarnRule")
    Reward = apps.get_model("loyalty", "Reward")
    for tier in TIERS:
        Tier.objects.get_or_create(code=tier["code"], defaults=tier)
    for category, rate in EARN_RULES:
        EarnRule.objects.get_or_create(category=category, defaults={"points_per_unit": rate})
    for reward in REWARDS:
        Reward.objects.get_or_create(code=reward["code"], defaults=reward)


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0002_ledger_in_the_database")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

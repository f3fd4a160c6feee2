"""The defaults installed by the data migrations, kept in one place for the migration and tests."""

from __future__ import annotations

CATEGORIES = [
    ("room-temperature", "Room temperature", "房间温度", 10),
    ("noise", "Noise", "噪音", 20),
    ("cleanliness", "Cleanliness", "清洁卫生", 30),
    ("maintenance", "Maintenance", "设施维修", 40),
    ("billing", "Billing", "账单", 50),
    ("staff-attitude", "Staff attitude", "服务态度", 60),
    ("food-quality", "Food quality", "餐食质量", 70),
    ("facilities", "Facilities", "酒店设施", 80),
    ("wifi", "Wi-Fi", "无线网络", 90),
    ("other", "Other", "其他", 999),
]

ROOT_CAUSES = [
    ("equipment-failure", "Equipment failure", "设备故障", 10),
    ("process-gap", "Process gap", "流程缺陷", 20),
    ("staff-training", "Staff training", "员工培训不足", 30),
    ("communication", "Communication", "沟通不畅", 40),
    ("understaffing", "Understaffing", "人手不足", 50),
    ("supplier", "Supplier", "供应商问题", 60),
    ("guest-expectation", "Guest expectation", "客人期望差异", 70),
]

# severity -> (acknowledge minutes, resolve minutes)
SLA_TARGETS = {
    4: (15, 4 * 60),  # critical
    3: (60, 24 * 60),  # high
    2: (4 * 60, 72 * 60),  # medium
    1: (24 * 60, 7 * 24 * 60),  # low
}

# role group name -> (largest value in CNY, largest points award); None: no limit
AUTHORITY_LIMITS = {
    "Front desk": (200, 500),
    "Guest relations": (1000, 5000),
    "Department head": (2000, 10000),
    "Manager": (None, None),
    "Administrator": (None, None),
}

from django.db import migrations

DEPARTMENTS = [
    ("front-office", "Front office", "前厅部", 10),
    ("housekeeping", "Housekeeping", "客房部", 20),
    ("food-beverage", "Food & beverage", "餐饮部", 30),
    ("engineering", "Engineering", "工程部", 40),
    ("sales", "Sales", "销售部", 50),
    ("management", "Management", "总经理室", 60),
]

ROLE_GROUPS = [
    "Front desk",
    "Guest relations",
    "Department head",
    "Account manager",
    "Manager",
    "Administrator",
]


def forwards(apps, schema_editor):
    Department = apps.get_model("grc", "Department")
    for code, name, name_zh, order in DEPARTMENTS:
        Department.objects.get_or_create(
            code=code, defaults={"name": name, "name_zh": name_zh, "sort_order": order}
        )
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        # Their permissions are set by grc.roles.roles_sync after every migrate.
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("grc", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

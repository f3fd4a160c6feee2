from django.db import migrations

from complaints.defaults import AUTHORITY_LIMITS, CATEGORIES, ROOT_CAUSES, SLA_TARGETS

# The register is permanent: the database itself refuses to change or remove a timeline entry,
# whatever code (or a hand-typed SQL session) tries.
APPEND_ONLY = """
CREATE FUNCTION complaints_timeline_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'complaints_timelineevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER complaints_timeline_append_only
    BEFORE UPDATE OR DELETE ON complaints_timelineevent
    FOR EACH ROW EXECUTE FUNCTION complaints_timeline_append_only();
"""
APPEND_ONLY_REVERSE = """
DROP TRIGGER IF EXISTS complaints_timeline_append_only ON complaints_timelineevent;
DROP FUNCTION IF EXISTS complaints_timeline_append_only();
"""


def forwards(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    RootCause = apps.get_model("complaints", "RootCause")
    SlaTarget = apps.get_model("complaints", "SlaTarget")
    AuthorityLimit = apps.get_model("complaints", "AuthorityLimit")
    Group = apps.get_model("auth", "Group")
    for model, rows in ((Category, CATEGORIES), (RootCause, ROOT_CAUSES)):
        for code, name, name_zh, order in rows:
            model.objects.get_or_create(
                code=code, defaults={"name": name, "name_zh": name_zh, "sort_order": order}
            )
    for severity, (ack, resolve) in SLA_TARGETS.items():
        SlaTarget.objects.get_or_create(
            severity=severity, defaults={"acknowledge_minutes": ack, "resolve_minutes": resolve}
        )
    for group_name, (max_value, max_points) in AUTHORITY_LIMITS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        AuthorityLimit.objects.get_or_create(
            group=group, defaults={"max_value": max_value, "max_points": max_points}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunSQL(APPEND_ONLY, APPEND_ONLY_REVERSE),
    ]

"""Every cooperative starts with its standing bodies and the statutes' default settings, and
PostgreSQL itself refuses to change or remove a decision once its minutes are approved."""

from django.db import migrations

STANDING = [
    ("alv", "Algemene ledenvergadering"),
    ("general_board", "Algemeen bestuur"),
    ("executive_board", "Dagelijks bestuur"),
    ("audit_committee", "Kascommissie"),
]


def standing_bodies(apps, schema_editor):
    Body = apps.get_model("governance", "Body")
    Statutes = apps.get_model("governance", "Statutes")
    for kind, name in STANDING:
        Body.objects.get_or_create(kind=kind, defaults={"name": name})
    Statutes.objects.get_or_create(id=1)


FORWARD = """
CREATE FUNCTION governance_refuse_final_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.final_at IS NOT NULL THEN
        RAISE EXCEPTION 'Dit besluit staat in vastgestelde notulen en kan niet worden gewijzigd of verwijderd; neem een nieuw besluit.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER governance_decision_final BEFORE UPDATE OR DELETE ON governance_decision
    FOR EACH ROW EXECUTE FUNCTION governance_refuse_final_change();
"""

BACKWARD = """
DROP TRIGGER governance_decision_final ON governance_decision;
DROP FUNCTION governance_refuse_final_change();
"""


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.RunPython(standing_bodies, migrations.RunPython.noop),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]

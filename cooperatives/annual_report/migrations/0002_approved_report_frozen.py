"""PostgreSQL itself refuses to change or remove an annual report once the ALV approved it,
like the audit log and the final decisions: its figures and texts are what the members
approved."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION annual_report_refuse_approved_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'approved' THEN
        RAISE EXCEPTION 'Dit jaarverslag is door de ALV vastgesteld en kan niet worden gewijzigd of verwijderd.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annual_report_approved BEFORE UPDATE OR DELETE ON annual_report_annualreport
    FOR EACH ROW EXECUTE FUNCTION annual_report_refuse_approved_change();
"""

BACKWARD = """
DROP TRIGGER annual_report_approved ON annual_report_annualreport;
DROP FUNCTION annual_report_refuse_approved_change();
"""


class Migration(migrations.Migration):
    dependencies = [("annual_report", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

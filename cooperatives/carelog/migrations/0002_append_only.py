"""PostgreSQL itself refuses to change or remove care-access rows, whoever asks (the same
trigger function as the audit log's: shared/audit/migrations/0002_append_only.py)."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER care_access_append_only BEFORE UPDATE OR DELETE ON carelog_careaccess
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER care_access_no_truncate BEFORE TRUNCATE ON carelog_careaccess
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

BACKWARD = """
DROP TRIGGER care_access_no_truncate ON carelog_careaccess;
DROP TRIGGER care_access_append_only ON carelog_careaccess;
"""


class Migration(migrations.Migration):
    dependencies = [("carelog", "0001_initial"), ("audit", "0002_append_only")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

from django.db import migrations

# On PostgreSQL, the production database, the database itself refuses to rewrite history.
# (TRUNCATE needs table ownership, which the application's role should not have in production.)
# The embedded SQLite file of the demo has no such guard: whoever holds the file holds everything,
# and `navigator audit verify` still detects any change.
CREATE = """
CREATE OR REPLACE FUNCTION navigator_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: %% refused on core_auditevent', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
  BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION navigator_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS navigator_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_load_forces")]
    operations = [migrations.RunPython(create_trigger, drop_trigger)]

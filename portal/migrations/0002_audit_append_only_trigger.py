"""On PostgreSQL the database itself refuses to change or delete audit rows, so not even a
bug or a shell session in the application can rewrite history.

The one change allowed is pseudonymisation when a person deletes their account: the actor
link is cleared (and the label may be replaced) while everything else stays as recorded."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.created_at, NEW.action, NEW.object_type, NEW.object_id,
            NEW.object_repr, NEW.institution_id, NEW.ip_address, NEW.data)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.action, OLD.object_type, OLD.object_id,
            OLD.object_repr, OLD.institution_id, OLD.ip_address, OLD.data) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditevent_no_update BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS portal_auditevent_no_update ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]

"""PostgreSQL triggers that hold the money rules in the database, and the coordinator's
admin permissions for the committees app.

The services already check both sums under row locks; the triggers make sure no other
path (a raw update, a future bug) can leave a committee over its allocation or a grant
paid beyond its amount. SQLite (the bare `make run`) relies on the services alone.
"""

from django.db import migrations

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION committees_check_grants_within_allocation() RETURNS trigger AS $$
DECLARE
    allocated numeric;
    committed numeric;
    paid numeric;
BEGIN
    SELECT amount INTO allocated FROM committees_allocation
        WHERE committee_id = NEW.committee_id AND year = NEW.year;
    IF allocated IS NULL THEN
        RAISE EXCEPTION 'committee % has no allocation for %', NEW.committee_id, NEW.year
            USING ERRCODE = '23514';
    END IF;
    SELECT COALESCE(SUM(amount - released_amount), 0) INTO committed FROM committees_grant
        WHERE committee_id = NEW.committee_id AND year = NEW.year;
    IF committed > allocated THEN
        RAISE EXCEPTION 'grants % exceed the allocation % of committee % for %',
            committed, allocated, NEW.committee_id, NEW.year USING ERRCODE = '23514';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO paid FROM committees_payment WHERE grant_id = NEW.id;
    IF paid > NEW.amount THEN
        RAISE EXCEPTION 'payments % exceed the grant %', paid, NEW.amount
            USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER committees_grant_within_allocation
    AFTER INSERT OR UPDATE ON committees_grant
    FOR EACH ROW EXECUTE FUNCTION committees_check_grants_within_allocation();

CREATE OR REPLACE FUNCTION committees_check_allocation_covers_grants() RETURNS trigger AS $$
DECLARE
    committed numeric;
BEGIN
    SELECT COALESCE(SUM(amount - released_amount), 0) INTO committed FROM committees_grant
        WHERE committee_id = NEW.committee_id AND year = NEW.year;
    IF committed > NEW.amount THEN
        RAISE EXCEPTION 'allocation % is below the % already granted', NEW.amount, committed
            USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER committees_allocation_covers_grants
    AFTER UPDATE ON committees_allocation
    FOR EACH ROW EXECUTE FUNCTION committees_check_allocation_covers_grants();

CREATE OR REPLACE FUNCTION committees_check_payments_within_grant() RETURNS trigger AS $$
DECLARE
    granted numeric;
    paid numeric;
BEGIN
    SELECT amount INTO granted FROM committees_grant WHERE id = NEW.grant_id;
    SELECT COALESCE(SUM(amount), 0) INTO paid FROM committees_payment
        WHERE grant_id = NEW.grant_id;
    IF paid > granted THEN
        RAISE EXCEPTION 'payments % exceed the grant %', paid, granted
            USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER committees_payments_within_grant
    AFTER INSERT OR UPDATE ON committees_payment
    FOR EACH ROW EXECUTE FUNCTION committees_check_payments_within_grant();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS committees_payments_within_grant ON committees_payment;
DROP TRIGGER IF EXISTS committees_allocation_covers_grants ON committees_allocation;
DROP TRIGGER IF EXISTS committees_grant_within_allocation ON committees_grant;
DROP FUNCTION IF EXISTS committees_check_payments_within_grant();
DROP FUNCTION IF EXISTS committees_check_allocation_covers_grants();
DROP FUNCTION IF EXISTS committees_check_grants_within_allocation();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS_SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0001_initial"),
        ("omakouvola", "0002_roles"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]

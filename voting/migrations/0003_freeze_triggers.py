"""Database triggers backing the freeze: once a ballot has a voter-roll entry, the cost of
its proposals and the set of proposals on it cannot change, whatever writes the row.

PostgreSQL only (SQLite, used for quick local runs, skips them; the services check too).
Errors are raised with SQLSTATE 23000 so Django reports them as IntegrityError.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION voting_proposal_cost_frozen() RETURNS trigger AS $$
BEGIN
    IF NEW.cost IS DISTINCT FROM OLD.cost AND EXISTS (
        SELECT 1 FROM voting_ballot_proposals bp
        JOIN voting_voterroll r ON r.ballot_id = bp.ballot_id
        WHERE bp.proposal_id = OLD.id
    ) THEN
        RAISE EXCEPTION 'proposal % is on a ballot with votes: its cost is frozen', OLD.id
            USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER voting_proposal_cost_frozen
    BEFORE UPDATE OF cost ON ideas_proposal
    FOR EACH ROW EXECUTE FUNCTION voting_proposal_cost_frozen();

CREATE OR REPLACE FUNCTION voting_ballot_proposals_frozen() RETURNS trigger AS $$
DECLARE
    row_ballot integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_ballot := OLD.ballot_id;
    ELSE
        row_ballot := NEW.ballot_id;
    END IF;
    IF EXISTS (SELECT 1 FROM voting_voterroll r WHERE r.ballot_id = row_ballot) THEN
        RAISE EXCEPTION 'ballot % has votes: its proposals are frozen', row_ballot
            USING ERRCODE = '23000';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER voting_ballot_proposals_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON voting_ballot_proposals
    FOR EACH ROW EXECUTE FUNCTION voting_ballot_proposals_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS voting_ballot_proposals_frozen ON voting_ballot_proposals;
DROP FUNCTION IF EXISTS voting_ballot_proposals_frozen();
DROP TRIGGER IF EXISTS voting_proposal_cost_frozen ON ideas_proposal;
DROP FUNCTION IF EXISTS voting_proposal_cost_frozen();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0002_sealed_votes"),
        ("ideas", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]

"""PostgreSQL guards the ledger itself, whatever code (or raw SQL) writes to it:

- a transfer's postings must sum to zero: a constraint trigger, deferred to the end of the
  transaction so the postings of one transfer can be inserted one by one;
- postings are never updated or deleted;
- each posting carries the account's balance after it, continuing the previous posting's, and
  an account's stored balance is always its last posting's balance_after. Both checks are index
  lookups, so they cost the same however long the account's history is.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION points_transfer_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
BEGIN
    -- Deferred to the commit, when the connection's search_path may point elsewhere: name the
    -- trigger's own schema.
    EXECUTE format('SELECT COALESCE(SUM(amount), 0) FROM %I.points_posting WHERE transfer_id = $1',
                   TG_TABLE_SCHEMA) INTO total USING NEW.transfer_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'Overboeking % is niet in evenwicht (som %).', NEW.transfer_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER points_posting_balanced AFTER INSERT ON points_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_transfer_balanced();

CREATE FUNCTION points_posting_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Boekingen worden nooit gewijzigd of verwijderd; boek een correctie.'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER points_posting_no_change BEFORE UPDATE OR DELETE ON points_posting
    FOR EACH ROW EXECUTE FUNCTION points_posting_immutable();
CREATE TRIGGER points_posting_no_truncate BEFORE TRUNCATE ON points_posting
    FOR EACH STATEMENT EXECUTE FUNCTION points_posting_immutable();

CREATE FUNCTION points_posting_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous numeric;
BEGIN
    EXECUTE format('SELECT balance_after FROM %I.points_posting WHERE account_id = $1 '
                   'ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA) INTO previous USING NEW.account_id;
    IF COALESCE(previous, 0) + NEW.amount <> NEW.balance_after THEN
        RAISE EXCEPTION 'Boeking op rekening % sluit niet aan: % + % <> %.',
            NEW.account_id, COALESCE(previous, 0), NEW.amount, NEW.balance_after
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER points_posting_chain BEFORE INSERT ON points_posting
    FOR EACH ROW EXECUTE FUNCTION points_posting_chain();

CREATE FUNCTION points_balance_matches() RETURNS trigger LANGUAGE plpgsql AS $$
-- Runs at commit. NEW is the row as it was when the event was queued, so read the account's
-- stored balance as it is now; checked both when an account changes and when a posting lands
-- (so postings inserted without updating the balance are refused too).
DECLARE
    acc bigint;
    stored numeric;
    last_balance numeric;
BEGIN
    IF TG_ARGV[0] = 'posting' THEN acc := NEW.account_id; ELSE acc := NEW.id; END IF;
    EXECUTE format('SELECT balance FROM %I.points_account WHERE id = $1', TG_TABLE_SCHEMA)
        INTO stored USING acc;
    EXECUTE format('SELECT balance_after FROM %I.points_posting WHERE account_id = $1 '
                   'ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA) INTO last_balance USING acc;
    IF COALESCE(last_balance, 0) <> stored THEN
        RAISE EXCEPTION 'Saldo van rekening % (%) klopt niet met de boekingen (%).',
            acc, stored, COALESCE(last_balance, 0) USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER points_account_balance_matches AFTER INSERT OR UPDATE ON points_account
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_balance_matches('account');
CREATE CONSTRAINT TRIGGER points_posting_balance_matches AFTER INSERT ON points_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION points_balance_matches('posting');
"""

BACKWARD = """
DROP TRIGGER points_posting_balance_matches ON points_posting;
DROP TRIGGER points_account_balance_matches ON points_account;
DROP FUNCTION points_balance_matches();
DROP TRIGGER points_posting_chain ON points_posting;
DROP FUNCTION points_posting_chain();
DROP TRIGGER points_posting_no_truncate ON points_posting;
DROP TRIGGER points_posting_no_change ON points_posting;
DROP FUNCTION points_posting_immutable();
DROP TRIGGER points_posting_balanced ON points_posting;
DROP FUNCTION points_transfer_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

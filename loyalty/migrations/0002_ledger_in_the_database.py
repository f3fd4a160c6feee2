"""The database keeps the ledger exact, whatever the Python code does.

- Inserting a transaction adds its points to the member's balance in the same statement, so
  the balance is always the sum of the transactions; the balance CHECK (>= 0, migration 0001)
  then refuses any insert that would overdraw, and the row lock the UPDATE takes serialises
  concurrent postings on one member.
- Transactions can be neither updated nor deleted (append-only): a mistake is corrected by a
  new transaction.
- A member's balance cannot be written by anything but that trigger (a stale `save()` or a
  hand-written UPDATE is refused), and a member starts at zero.
- Member numbers come from a sequence; the service appends a Luhn check digit.
"""

from django.db import migrations

FORWARDS = r"""
CREATE SEQUENCE loyalty_member_number_seq
    START WITH 880000001 MINVALUE 880000001 MAXVALUE 999999999 NO CYCLE;

CREATE FUNCTION loyalty_ledger_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE loyalty_member SET balance = balance + NEW.points WHERE id = NEW.member_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'loyalty: no member % for this transaction', NEW.member_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER loyalty_ledger_post
    AFTER INSERT ON loyalty_pointstransaction
    FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_post();

CREATE FUNCTION loyalty_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'loyalty: the points ledger is append-only (% refused); post a new transaction',
        TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER loyalty_ledger_append_only
    BEFORE UPDATE OR DELETE ON loyalty_pointstransaction
    FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();

CREATE FUNCTION loyalty_member_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.balance <> 0 THEN
        RAISE EXCEPTION 'loyalty: a new member starts with a balance of 0'
            USING ERRCODE = 'check_violation';
    END IF;
    -- Depth 1 is a statement from a client; the ledger trigger's own UPDATE runs at depth 2.
    IF TG_OP = 'UPDATE' AND NEW.balance IS DISTINCT FROM OLD.balance
            AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'loyalty: the balance is kept by the ledger; post a transaction instead'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER loyalty_member_balance_guard
    BEFORE INSERT OR UPDATE ON loyalty_member
    FOR EACH ROW EXECUTE FUNCTION loyalty_member_balance_guard();
"""

BACKWARDS = r"""
DROP TRIGGER IF EXISTS loyalty_member_balance_guard ON loyalty_member;
DROP FUNCTION IF EXISTS loyalty_member_balance_guard();
DROP TRIGGER IF EXISTS loyalty_ledger_append_only ON loyalty_pointstransaction;
DROP FUNCTION IF EXISTS loyalty_ledger_append_only();
DROP TRIGGER IF EXISTS loyalty_ledger_post ON loyalty_pointstransaction;
DROP FUNCTION IF EXISTS loyalty_ledger_post();
DROP SEQUENCE IF EXISTS loyalty_member_number_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0001_initial")]
    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]

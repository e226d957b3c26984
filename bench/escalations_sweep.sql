-- bench/escalations_sweep.sql — set-up of the sweep part of the `escalations` section of
-- `make bench`: does complaint.run_escalations() cost the same on 100,000 and on 1,000,000 open
-- complaints when the same 1,000 are due? (It should: it finds its work through the indexes
-- on deadline.next_check_at and complaint.recheck_at, so its cost grows with the due items,
-- not with the table.)
--
-- Run by `scripts/bench.sh escalations` in a database with pg_complaint:
--   psql -X -v ON_ERROR_STOP=1 -v due=1000 -f bench/escalations_sweep.sql
-- then bench.grow(n) (called by scripts/bench.sh in chunks) and bench.sweep_once(label, round).
--
-- The complaints are real ones, inserted through the C trigger (no import mode, no rows
-- written into complaint.deadline by hand), under the `property` preset:
--  * bench.clock.as_of (T0): the moment before anything else is inserted; every sweep runs
--    as of T0.
--  * :due complaints received 20 days before T0 (phone): their forward deadline (30 working
--    minutes, or the end of the day / 1 hour after opening outside working time) fell due
--    long before T0, not yet breached. They became `hot` at insert (unresolved for a week),
--    which opened a notify deadline due a working day after the insert: after T0.
--  * the open complaints added by bench.grow(): received at the time of their insert (after
--    T0), phone, no complainant (so no similar-complaint probe makes their insert slower or
--    raises their level), 50 units: every one has an open forward deadline due after T0 and
--    a recheck_at a week after receipt. None is due at T0.
--  The set-up checks that exactly :due deadlines are due at T0, and nothing else.
--
-- bench.sweep_once(label, round) times one complaint.run_escalations(T0) and rolls its work
-- back (a subtransaction that ends in an exception), so every round finds the same 1,000 due;
-- scripts/bench.sh VACUUMs between rounds so the dead rows of the rolled-back rounds do not
-- pile up in the indexes it walks.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
SELECT complaint.install_preset('property') \gset

CREATE TABLE bench.clock AS SELECT now() AS as_of;

INSERT INTO complaint.complaint (policy, received_at, channel, subject, unit)
SELECT 'property', (SELECT as_of FROM bench.clock) - interval '20 days' + g * interval '1 minute',
       'phone', 'overdue #' || g, 'site ' || (g % 50)
  FROM generate_series(1, :due) g;

CREATE TABLE bench.bulk_log (n bigint, rows bigint, seconds float8, at timestamptz DEFAULT clock_timestamp());

-- bench.grow(target, chunk): open complaints (none due at T0) until there are target of them,
-- at most chunk in this call; returns how many there are now.
CREATE FUNCTION bench.grow(target bigint, chunk bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE have bigint; k bigint; t0 timestamptz := clock_timestamp();
BEGIN
    SELECT count(*) INTO have FROM complaint.complaint WHERE subject LIKE 'open #%';
    k := least(chunk, target - have);
    IF k > 0 THEN
        INSERT INTO complaint.complaint (policy, channel, subject, unit)
        SELECT 'property', 'phone', 'open #' || g, 'site ' || (g % 50)
          FROM generate_series(have + 1, have + k) g;
        INSERT INTO bench.bulk_log (n, rows, seconds) VALUES (have + k, k, extract(epoch FROM clock_timestamp() - t0));
    END IF;
    RETURN have + greatest(k, 0);
END $$;

-- bench.check_due(): exactly :due deadlines due at T0, no complaint due for a recheck
CREATE FUNCTION bench.check_due(want int)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE t timestamptz := (SELECT as_of FROM bench.clock); d bigint; r bigint; o bigint;
BEGIN
    SELECT count(*) INTO d FROM complaint.deadline WHERE next_check_at <= t;
    SELECT count(*) INTO r FROM complaint.complaint WHERE recheck_at <= t;
    SELECT count(*) INTO o FROM complaint.complaint WHERE status NOT IN ('closed', 'rejected');
    IF d <> want OR r <> 0 THEN
        RAISE EXCEPTION 'bench: % deadlines and % rechecks due at T0, want % and 0', d, r, want;
    END IF;
    RETURN format('%s open complaints, %s deadlines due at T0', o, d);
END $$;

CREATE TABLE bench.sweep (
    label  text NOT NULL,      -- small, large
    round  int NOT NULL,       -- 0: warm-up
    open_n bigint NOT NULL,    -- open complaints
    ms     float8 NOT NULL,
    done   int NOT NULL,       -- run_escalations() result
    PRIMARY KEY (label, round)
);

-- bench.sweep_once(label, round): one timed sweep as of T0, rolled back
CREATE FUNCTION bench.sweep_once(lbl text, rnd int)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms float8; n int; o bigint;
BEGIN
    SELECT count(*) INTO o FROM complaint.complaint WHERE status NOT IN ('closed', 'rejected');
    BEGIN
        t0 := clock_timestamp();
        n := complaint.run_escalations((SELECT as_of FROM bench.clock));
        ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
        RAISE EXCEPTION USING ERRCODE = 'XB001', MESSAGE = 'bench: roll the sweep back';
    EXCEPTION WHEN SQLSTATE 'XB001' THEN
        NULL;   -- plpgsql variables keep their values; the sweep's rows are gone
    END;
    INSERT INTO bench.sweep VALUES (lbl, rnd, o, ms, n);
    RETURN format('%s round %s: %s open, %s things done in %s ms', lbl, rnd, o, n, round(ms::numeric, 1));
END $$;

-- Lets one statement of a write refuse to go on, so a whole write can be sent in one round trip:
-- `SELECT core_expect(<condition>, 'no_row')` aborts the transaction with "atrium:no_row" when false.
-- The core then finds out why (not found, hidden by a rule, stale version) with a separate read.
CREATE FUNCTION core_expect(ok boolean, reason text) RETURNS boolean
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'atrium:' || reason;
  END IF;
  RETURN true;
END $$;

GRANT EXECUTE ON FUNCTION core_expect(boolean, text) TO atrium_app;

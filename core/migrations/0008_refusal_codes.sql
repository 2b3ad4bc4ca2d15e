-- Refusals travel as codes, not text: `core_expect(ok, code, detail)` raises the refusal's own SQLSTATE (class
-- "AT", the catalogue is core/src/kernel/refusals.ts) with what it concerns (a field path, a module) as DETAIL.
-- The core reads the code and the detail the driver exposes, never the message. Replaces 0003's
-- core_expect(ok, reason), whose reason travelled in the message.
DROP FUNCTION core_expect(boolean, text);

CREATE FUNCTION core_expect(ok boolean, code text, detail text) RETURNS boolean
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    IF code !~ '^AT[0-9]{3}$' THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'core_expect: "' || code || '" is not a refusal code';
    END IF;
    RAISE EXCEPTION USING ERRCODE = code, MESSAGE = 'refused (' || code || ')', DETAIL = coalesce(detail, '');
  END IF;
  RETURN true;
END $$;

GRANT EXECUTE ON FUNCTION core_expect(boolean, text, text) TO atrium_app;

-- The id of the HTTP request that caused an event (its X-Request-Id), so that an event, the log lines of
-- its request and the client that sent it can be matched; null for the core's own writes (seed data).
ALTER TABLE core_events ADD COLUMN request_id text;

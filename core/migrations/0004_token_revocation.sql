-- "Log out everywhere" and password resets: tokens issued before this moment are refused.
ALTER TABLE core_users ADD COLUMN tokens_valid_after timestamptz;
GRANT SELECT (tokens_valid_after), UPDATE (tokens_valid_after) ON core_users TO atrium_app;

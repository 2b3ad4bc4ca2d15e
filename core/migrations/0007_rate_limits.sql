-- Login and signup attempts per client address, shared by every app node (a limit hit on one node holds
-- on all). Only the owner role reads and writes it; expired windows are pruned by the nodes.
CREATE TABLE core_rate_limits (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  window_ends timestamptz NOT NULL
);

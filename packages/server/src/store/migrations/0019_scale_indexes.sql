-- Indexes that hold at scale (issue 17 §5; measured by `npm run bench scale`).

-- The refresher's claim (tokens/lease-store.ts) orders by this expression and bounds it by now(), so
-- the scan starts at the oldest due account and stops at the first one not due, in every state: an
-- unscheduled account (NULL, e.g. after a bulk import) sorts first, as -infinity, and nothing due is
-- an empty range. The partial predicate is the claim's own WHERE, so the planner can always use it.
CREATE INDEX connected_accounts_refresh_claim
  ON connected_accounts ((coalesce(next_refresh_at, '-infinity'::timestamptz)))
  WHERE status = 'ACTIVE' AND credentials_ct IS NOT NULL AND access_token_expires_at IS NOT NULL;
DROP INDEX connected_accounts_refresh_due;
-- Leases, journals and last use are written often and touch no indexed column: room left on each page
-- lets those updates stay on the page (HOT) instead of adding an entry to every index. Applies to pages
-- written from now on (a table rewrite, e.g. VACUUM FULL, applies it to the rest).
ALTER TABLE connected_accounts SET (fillfactor = 85);

-- Backfill: schedule ACTIVE accounts that have none, by the refresher's rule (tokens/schedule.ts) with
-- the catalog's default lead time (300 s) and no jitter: half the token's lifetime when that is shorter.
-- The refresher reschedules each one with its provider's own lead time after the refresh.
UPDATE connected_accounts
SET next_refresh_at = access_token_expires_at - least(
    interval '300 seconds',
    greatest(interval '0', access_token_expires_at - coalesce(last_refreshed_at, created_at)) / 2)
WHERE next_refresh_at IS NULL AND status = 'ACTIVE' AND credentials_ct IS NOT NULL
  AND access_token_expires_at IS NOT NULL;

-- Account list (GET /v1/connected-accounts): newest first, whole project or one status.
CREATE INDEX connected_accounts_by_project ON connected_accounts (project_id, id);
CREATE INDEX connected_accounts_by_status ON connected_accounts (project_id, status, id);

-- Audit list and export filters (GET /v1/audit): each equality filter walks its own index newest
-- first and stops after one page. The time range needs no index of its own: ids start with their
-- creation time, so since/until become bounds on audit_events_by_project (audit-log.ts).
CREATE INDEX audit_events_by_execution ON audit_events (project_id, execution_id, id);
CREATE INDEX audit_events_by_agent ON audit_events (project_id, agent_id, id);
CREATE INDEX audit_events_by_tool ON audit_events (project_id, tool_slug, id);
CREATE INDEX audit_events_by_outcome ON audit_events (project_id, outcome, id);

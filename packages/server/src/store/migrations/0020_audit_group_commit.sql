-- Group commit of audit rows (audit/README.md): one call appends a batch of rows, of one or several
-- projects, to their hash chains in one statement. Per project, in project-id order (two replicas
-- locking the same heads lock them in the same order, so they never deadlock): lock the head, then
-- chain each row onto it exactly as the single-row insert did (sha256(prev ‖ seq '|' canonical)),
-- skip a row whose id is already stored (a retried batch is idempotent), and move the head once.
-- `batch` is a JSON array of rows: the audit_events columns by name (`delegation` from 0015), plus
-- `canonical` (chain.ts).
CREATE FUNCTION audit_append(batch jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  project text := NULL;
  head_seq bigint;
  head_hash bytea;
  head_prev bytea;
  written integer := 0;
BEGIN
  FOR r IN
    SELECT e FROM jsonb_array_elements(batch) WITH ORDINALITY AS t (e, n) ORDER BY e ->> 'project_id', n
  LOOP
    IF project IS DISTINCT FROM r ->> 'project_id' THEN
      IF project IS NOT NULL THEN
        UPDATE audit_heads SET seq = head_seq, hash = head_hash, prev_hash = head_prev WHERE project_id = project;
      END IF;
      project := r ->> 'project_id';
      SELECT seq, hash, prev_hash INTO head_seq, head_hash, head_prev
        FROM audit_heads WHERE project_id = project FOR UPDATE;
      IF NOT FOUND THEN
        -- The project's first row: plant the empty head (seq 0, zero hash); a racing first writer may win.
        INSERT INTO audit_heads (project_id, seq, hash, prev_hash)
          VALUES (project, 0, decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'))
          ON CONFLICT (project_id) DO NOTHING;
        SELECT seq, hash, prev_hash INTO head_seq, head_hash, head_prev
          FROM audit_heads WHERE project_id = project FOR UPDATE;
      END IF;
    END IF;
    -- Under the head's lock no other writer of this project runs: the check cannot race.
    CONTINUE WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = r ->> 'id');
    head_prev := head_hash;
    head_seq := head_seq + 1;
    head_hash := sha256(head_prev || convert_to(head_seq::text || '|' || (r ->> 'canonical'), 'UTF8'));
    INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
      connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
      occurred_at, delegation, seq, prev_hash, hash)
    VALUES (r ->> 'id', project, r ->> 'kind', r ->> 'execution_id', r ->> 'user_id', r ->> 'agent_id',
      r ->> 'tool_slug', r ->> 'provider_id', r ->> 'connected_account_id', r ->> 'outcome', r ->> 'error_code',
      (r ->> 'upstream_status')::integer, (r ->> 'latency_ms')::double precision, (r ->> 'attempts')::integer,
      r ->> 'trace_id', r -> 'detail', (r ->> 'occurred_at')::timestamptz,
      NULLIF(r -> 'delegation', 'null'::jsonb), head_seq, head_prev, head_hash);
    written := written + 1;
  END LOOP;
  IF project IS NOT NULL THEN
    UPDATE audit_heads SET seq = head_seq, hash = head_hash, prev_hash = head_prev WHERE project_id = project;
  END IF;
  RETURN written;
END;
$$;

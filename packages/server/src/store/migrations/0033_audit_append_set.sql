-- audit_append (0020) writes a project's rows with one INSERT instead of one per row. Same chain, same
-- rows, same idempotency: heads are still locked in project-id order, and each row's hash is still
-- computed in queue order under its head's lock; only the insert (its plan, its EXISTS probe, plpgsql
-- evaluating twenty expressions) stops running once per row: a batch of 100 rows takes about a third
-- less time on PGlite, where the statement runs on the server's own thread (audit/README.md).
CREATE OR REPLACE FUNCTION audit_append(batch jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  project text;
  head_seq bigint;
  head_hash bytea;
  head_prev bytea;
  -- The project's rows to write: their places in the batch and canonical texts, in queue order.
  places bigint[];
  texts text[];
  seqs bigint[];
  prevs bytea[];
  hashes bytea[];
  fresh integer;
  written integer := 0;
BEGIN
  FOR project IN
    SELECT DISTINCT e ->> 'project_id' FROM jsonb_array_elements(batch) AS t (e) ORDER BY 1
  LOOP
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
    -- Under the head's lock no other writer of this project runs: the check cannot race. An id that
    -- appears twice in the batch is written once, at its first place (as the per-row loop did).
    SELECT array_agg(n ORDER BY n), array_agg(canonical ORDER BY n) INTO places, texts
      FROM (
        SELECT DISTINCT ON (e ->> 'id') n, e ->> 'canonical' AS canonical
          FROM jsonb_array_elements(batch) WITH ORDINALITY AS t (e, n)
          WHERE e ->> 'project_id' = project
            AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.id = e ->> 'id')
          ORDER BY e ->> 'id', n
      ) AS new_rows;
    fresh := coalesce(array_length(places, 1), 0);
    CONTINUE WHEN fresh = 0;
    seqs := '{}';
    prevs := '{}';
    hashes := '{}';
    FOR i IN 1 .. fresh LOOP
      head_prev := head_hash;
      head_seq := head_seq + 1;
      head_hash := sha256(head_prev || convert_to(head_seq::text || '|' || texts[i], 'UTF8'));
      seqs[i] := head_seq;
      prevs[i] := head_prev;
      hashes[i] := head_hash;
    END LOOP;
    INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
      connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
      occurred_at, delegation, seq, prev_hash, hash)
    SELECT r ->> 'id', project, r ->> 'kind', r ->> 'execution_id', r ->> 'user_id', r ->> 'agent_id',
      r ->> 'tool_slug', r ->> 'provider_id', r ->> 'connected_account_id', r ->> 'outcome', r ->> 'error_code',
      (r ->> 'upstream_status')::integer, (r ->> 'latency_ms')::double precision, (r ->> 'attempts')::integer,
      r ->> 'trace_id', r -> 'detail', (r ->> 'occurred_at')::timestamptz,
      NULLIF(r -> 'delegation', 'null'::jsonb), c.seq, c.prev_hash, c.hash
    FROM unnest(places, seqs, prevs, hashes) AS c (place, seq, prev_hash, hash)
      CROSS JOIN LATERAL (SELECT batch -> (c.place - 1)::integer AS r) AS element
    ORDER BY c.place;
    UPDATE audit_heads SET seq = head_seq, hash = head_hash, prev_hash = head_prev WHERE project_id = project;
    written := written + fresh;
  END LOOP;
  RETURN written;
END;
$$;

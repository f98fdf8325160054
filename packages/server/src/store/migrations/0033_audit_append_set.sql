-- audit_append (0020) writes a project's rows with one INSERT instead of one per row, and reads the
-- batch once. Same chain, same rows, same idempotency: heads are still locked in project-id order,
-- and each row is still checked (by primary key) and hashed in queue order under its head's lock;
-- only the insert (its plan, plpgsql evaluating twenty expressions) stops running once per row.
-- The stored-id check stays a lookup of one id: as `id = ANY (array)` a cached generic plan scanned
-- the whole table once it had grown. Measured side by side in audit/README.md.
CREATE OR REPLACE FUNCTION audit_append(batch jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  -- Every row of the batch, by project, then by place in the batch (queue order): read once.
  projects text[];
  ids text[];
  places bigint[];
  texts text[];
  total integer;
  first integer := 1;
  project text;
  head_seq bigint;
  head_hash bytea;
  head_prev bytea;
  -- The project's rows to write, in queue order, with their chain columns.
  fresh_ids text[];
  fresh_places bigint[];
  seqs bigint[];
  prevs bytea[];
  hashes bytea[];
  fresh integer;
  written integer := 0;
BEGIN
  SELECT array_agg(e ->> 'project_id' ORDER BY e ->> 'project_id', n),
         array_agg(e ->> 'id' ORDER BY e ->> 'project_id', n),
         array_agg(n ORDER BY e ->> 'project_id', n),
         array_agg(e ->> 'canonical' ORDER BY e ->> 'project_id', n)
    INTO projects, ids, places, texts
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS t (e, n);
  total := coalesce(array_length(projects, 1), 0);
  WHILE first <= total LOOP
    project := projects[first];
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
    fresh_ids := '{}';
    fresh_places := '{}';
    seqs := '{}';
    prevs := '{}';
    hashes := '{}';
    fresh := 0;
    WHILE first <= total AND projects[first] IS NOT DISTINCT FROM project LOOP
      -- Under the head's lock no other writer of this project runs: the check cannot race. An id
      -- sent twice in the batch is written once, at its first place.
      -- (A row without an id goes on to the INSERT, which refuses it, as 0020 did.)
      IF (ids[first] = ANY (fresh_ids)) IS NOT TRUE
         AND NOT EXISTS (SELECT 1 FROM audit_events WHERE id = ids[first]) THEN
        fresh := fresh + 1;
        head_prev := head_hash;
        head_seq := head_seq + 1;
        head_hash := sha256(head_prev || convert_to(head_seq::text || '|' || texts[first], 'UTF8'));
        fresh_ids[fresh] := ids[first];
        fresh_places[fresh] := places[first];
        seqs[fresh] := head_seq;
        prevs[fresh] := head_prev;
        hashes[fresh] := head_hash;
      END IF;
      first := first + 1;
    END LOOP;
    CONTINUE WHEN fresh = 0;
    INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
      connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail,
      occurred_at, delegation, seq, prev_hash, hash)
    SELECT r ->> 'id', project, r ->> 'kind', r ->> 'execution_id', r ->> 'user_id', r ->> 'agent_id',
      r ->> 'tool_slug', r ->> 'provider_id', r ->> 'connected_account_id', r ->> 'outcome', r ->> 'error_code',
      (r ->> 'upstream_status')::integer, (r ->> 'latency_ms')::double precision, (r ->> 'attempts')::integer,
      r ->> 'trace_id', r -> 'detail', (r ->> 'occurred_at')::timestamptz,
      NULLIF(r -> 'delegation', 'null'::jsonb), seq, prev_hash, hash
    FROM (
      SELECT batch -> (fresh_places[i] - 1)::integer AS r, seqs[i] AS seq, prevs[i] AS prev_hash, hashes[i] AS hash
        FROM generate_subscripts(fresh_places, 1) AS i
    ) AS c;
    UPDATE audit_heads SET seq = head_seq, hash = head_hash, prev_hash = head_prev WHERE project_id = project;
    written := written + fresh;
  END LOOP;
  RETURN written;
END;
$$;

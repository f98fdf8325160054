-- One random id per database, minted by the first Gatehouse that needs it (not by this migration:
-- the embedded template is migrated once at build time and copied for every new data dir, and each
-- copy must get an id of its own). The audit journal in a data dir is named after it, so a data dir
-- shared by an embedded database and a PostgreSQL one never replays one database's rows into the other.
CREATE TABLE database_identity (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  id text NOT NULL
);

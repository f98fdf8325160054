-- The quickstart's development project is marked in the database that holds it, not only in the
-- data dir (which embedded PGlite and PostgreSQL modes share): at most one per database.
ALTER TABLE projects ADD COLUMN development boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX projects_one_development ON projects (development) WHERE development;

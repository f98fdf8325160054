-- A console session opened with the instance's admin token may have no project yet: it lands on the
-- Projects page (list, create, open one). Every other sign-in (a project key, single sign-on) is
-- bound to its project from the start, and the check keeps it so whatever the code does.
ALTER TABLE console_sessions ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE console_sessions ADD CONSTRAINT console_sessions_project_or_admin_token
  CHECK (project_id IS NOT NULL OR method = 'admin_token');

import type { Db } from '../store/db.js';
import type { OperatorRole } from './roles.js';

export interface Operator {
  projectId: string;
  issuer: string;
  subject: string;
  role: OperatorRole;
  createdAt: Date;
}

interface Row extends Record<string, unknown> {
  project_id: string;
  issuer: string;
  subject: string;
  role: OperatorRole;
  created_at: Date;
}

const toOperator = (r: Row): Operator => ({
  projectId: r.project_id,
  issuer: r.issuer,
  subject: r.subject,
  role: r.role,
  createdAt: r.created_at,
});

/**
 * Who may sign in to a project's console with single sign-on, and with which role: an admin grants
 * it per identity (issuer and subject, or the claim the instance is configured to read). No row, no
 * access: a valid sign-in at the identity provider alone opens nothing.
 */
export class ConsoleOperators {
  constructor(private readonly db: Db) {}

  async list(projectId: string): Promise<Operator[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM console_operators WHERE project_id = $1 ORDER BY created_at, subject',
      [projectId],
    );
    return rows.map(toOperator);
  }

  async grant(projectId: string, issuer: string, subject: string, role: OperatorRole): Promise<void> {
    await this.db.query(
      `INSERT INTO console_operators (project_id, issuer, subject, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (issuer, subject, project_id) DO UPDATE SET role = EXCLUDED.role`,
      [projectId, issuer, subject, role],
    );
  }

  async remove(projectId: string, issuer: string, subject: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'DELETE FROM console_operators WHERE project_id = $1 AND issuer = $2 AND subject = $3 RETURNING subject',
      [projectId, issuer, subject],
    );
    return rows.length > 0;
  }

  /** The projects this identity operates, with its role in each. */
  async of(issuer: string, subject: string): Promise<Operator[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT * FROM console_operators WHERE issuer = $1 AND subject = $2 ORDER BY created_at',
      [issuer, subject],
    );
    return rows.map(toOperator);
  }
}

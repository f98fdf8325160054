/** A seeded Acme user. The user id is also the OIDC subject (`sub`) and the login name. */
export interface SandboxUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly name: string;
  readonly email: string;
  readonly team: string;
}

function user(username: string, name: string, team: string): SandboxUser {
  return {
    id: username,
    username,
    password: `${username}-pass`,
    name,
    email: `${username}@acme.test`,
    team,
  };
}

export const seededUsers: readonly SandboxUser[] = Object.freeze([
  user('alice', 'Alice Anders', 'acme-eng'),
  user('bob', 'Bob Brandt', 'acme-eng'),
  user('carol', 'Carol Chen', 'acme-sales'),
]);

export class UserDirectory {
  readonly #byId: ReadonlyMap<string, SandboxUser>;

  constructor(readonly users: readonly SandboxUser[]) {
    this.#byId = new Map(users.map((u) => [u.id, u]));
  }

  find(id: string): SandboxUser | undefined {
    return this.#byId.get(id);
  }

  /** Checks a username and password; `undefined` when either is wrong. */
  authenticate(username: string, password: string): SandboxUser | undefined {
    const found = this.#byId.get(username);
    return found !== undefined && found.password === password ? found : undefined;
  }
}

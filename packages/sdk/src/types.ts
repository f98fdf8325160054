/** Wire types of the Gatehouse REST API (dates are ISO strings), from the generated API types. */

import type { Api, Body } from './wire.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ConnectedAccount = Api.ConnectedAccount;
export type AccountStatus = ConnectedAccount['status'];

/** `redirectUrl` is present when the link was just created: send the user's browser there. */
export type ConnectLink = Api.ConnectLink;
export type LinkStatus = ConnectLink['status'];
export type LinkInput = Body<'createConnectLink'>;

export type AuthConfig = Api.AuthConfig;
export type AuthConfigInput = Body<'createAuthConfig'>;
export type Branding = NonNullable<AuthConfigInput['branding']>;

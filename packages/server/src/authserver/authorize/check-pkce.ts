import { type AuthorizeContext, type AuthorizeHalt, back } from './types.js';

// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters; allow the full unreserved range.
const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** 4. PKCE is required for every client, and only S256 (OAuth 2.1 §4.1.1; `plain` is refused). */
export function checkPkce(ctx: AuthorizeContext): AuthorizeHalt | undefined {
  const { code_challenge: challenge, code_challenge_method: method } = ctx.params;
  if (!challenge) return back('invalid_request', 'code_challenge is required (PKCE with S256)');
  if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
  if (!CHALLENGE.test(challenge)) return back('invalid_request', 'code_challenge is malformed');
  return undefined;
}

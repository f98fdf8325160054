import { describe, expect, it } from 'vitest';
import { Scrubber } from '../src/broker/scrub.js';
import { providerErrorCode, providerErrorMessage } from '../src/providers/oauth-errors.js';

const scrubber = new Scrubber(['rt_0123456789abcdef']);

describe('provider error codes', () => {
  it('keeps a plain code, and turns free text or a code holding a secret into unknown_error', () => {
    expect(providerErrorCode('invalid_grant', scrubber)).toBe('invalid_grant');
    expect(providerErrorCode('slack.invalid_refresh_token')).toBe('slack.invalid_refresh_token');
    expect(providerErrorCode('token rt_123 is bad')).toBe('unknown_error');
    expect(providerErrorCode('cs_supersecret', new Scrubber(['cs_supersecret']))).toBe('unknown_error');
    expect(providerErrorCode(undefined)).toBe('unknown_error');
  });

  it('gives a fixed sentence per code, and a generic one for codes it does not know', () => {
    expect(providerErrorMessage('access_denied')).toBe('Access was declined at the provider.');
    expect(providerErrorMessage('invalid_grant')).toMatch(/connect the account again/);
    expect(providerErrorMessage('something_else')).toBe('The provider refused the request.');
    expect(providerErrorMessage('toString')).toBe('The provider refused the request.');
  });
});

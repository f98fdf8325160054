/**
 * Shorthands over the generated API types (`generated/api.ts`, from the server's route schemas): the
 * SDK's wire types are these, so a change on the server that the SDK does not follow fails its build.
 */
import type { Operations } from './generated/api.js';

export type * as Api from './generated/api.js';

/** The JSON body an operation accepts. */
export type Body<K extends keyof Operations> = Operations[K] extends { body?: infer B }
  ? NonNullable<B>
  : never;

/** The query parameters an operation accepts. */
export type Query<K extends keyof Operations> = Operations[K] extends { query?: infer Q }
  ? NonNullable<Q>
  : never;

/** What an operation answers with a given status. */
export type Answer<
  K extends keyof Operations,
  S extends keyof Operations[K]['responses'],
> = Operations[K]['responses'][S];

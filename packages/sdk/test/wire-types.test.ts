import { describe, expectTypeOf, it } from 'vitest';
import type { AuditFilter, AuditQuery, ToolExecution, ToolFailure, ToolSuccess } from '../src/tool-types.js';
import type { Api, Query } from '../src/wire.js';

// Checked by `npm run typecheck` (the runtime assertions are no-ops): the SDK's own shapes over the
// wire types must stay assignable to what the server declares, so server drift fails the build.
describe('SDK types follow the generated API types', () => {
  it('an execution (success or failure) is an ExecutionResult', () => {
    expectTypeOf<ToolSuccess>().toExtend<Api.ExecutionResult>();
    expectTypeOf<ToolFailure>().toExtend<Api.ExecutionResult>();
    expectTypeOf<Api.ExecutionResult['executionId']>().toEqualTypeOf<ToolExecution['executionId']>();
  });

  it('audit filters name only query parameters the server accepts', () => {
    expectTypeOf<keyof AuditQuery>().toExtend<keyof Query<'listAuditEvents'>>();
    expectTypeOf<NonNullable<AuditFilter['outcome']>>().toExtend<
      NonNullable<Query<'listAuditEvents'>['outcome']>
    >();
  });
});

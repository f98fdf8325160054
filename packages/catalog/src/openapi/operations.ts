import { isRecord } from '../toolkits/dotted-path.js';
import { HTTP_METHODS, type HttpMethod } from '../toolkits/schema.js';
import { ImportProblem } from './refs.js';

export type Operation = {
  operationId: string;
  method: HttpMethod;
  path: string;
  pathItem: Record<string, unknown>;
  op: Record<string, unknown>;
  /** Where in the spec, for messages: `paths./repos/{owner}/{repo}/issues` and `….post`. */
  pathAt: string;
  at: string;
};

/**
 * Every operation with a method a tool can use, in document order of paths and a fixed method
 * order within each, so output does not depend on how a spec orders its methods. HEAD, OPTIONS and
 * TRACE are reported to `skip`. Operations without an operationId get `<method>_<path>`.
 */
export function listOperations(spec: Record<string, unknown>, skip: (message: string) => void): Operation[] {
  const paths = spec['paths'];
  if (!isRecord(paths)) throw new ImportProblem('paths', 'The spec has no paths object');
  const operations: Operation[] = [];
  for (const [path, pathItem] of Object.entries(paths)) {
    const pathAt = `paths.${path}`;
    if (!isRecord(pathItem)) continue;
    if (typeof pathItem['$ref'] === 'string')
      throw new ImportProblem(pathAt, 'Path item $refs are not supported');
    for (const method of ['head', 'options', 'trace']) {
      if (isRecord(pathItem[method])) skip(`${pathAt}.${method}: ${method.toUpperCase()} cannot be a tool`);
    }
    for (const method of HTTP_METHODS) {
      const op = pathItem[method.toLowerCase()];
      if (!isRecord(op)) continue;
      const operationId =
        typeof op['operationId'] === 'string' && op['operationId'] !== ''
          ? op['operationId']
          : `${method.toLowerCase()}_${path.replace(/[{}]/g, '')}`;
      operations.push({
        operationId,
        method,
        path,
        pathItem,
        op,
        pathAt,
        at: `${pathAt}.${method.toLowerCase()}`,
      });
    }
  }
  return operations;
}

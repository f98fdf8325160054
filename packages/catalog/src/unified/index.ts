export {
  fromProviderResult,
  lookupApplies,
  lookupArguments,
  lookupValue,
  type MapFailure,
  type ProviderCall,
  ROUTING_ARGUMENTS,
  readBackArguments,
  toProviderCall,
  type UnifiedTarget,
  unifiedTarget,
  withLookups,
} from './map.js';
export { type TaskProjectRead, taskProjectOf, taskProjectRead } from './project.js';
export {
  builtInTaskMappings,
  UNIFIED_PROVIDER,
  UNIFIED_TOOLKIT_ID,
  unifiedOperationOf,
  unifiedTasksToolkit,
} from './registry.js';
export {
  type Lookup,
  type OperationMapping,
  TASK_MAPPING_JSON_SCHEMA_FILE,
  TASK_STATUSES,
  type TaskMapping,
  type TaskProjectLookup,
  type TaskStatus,
  taskMappingJsonSchemaText,
  taskMappingSchema,
  UNIFIED_OPERATIONS,
  type UnifiedOperation,
} from './schema.js';

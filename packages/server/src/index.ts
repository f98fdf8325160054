export { type Config, loadConfig } from './config/config.js';
export { buildApp } from './http/app.js';
export { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { type RunningServer, startServer } from './server.js';
export { type Db, openPglite, openPostgres } from './store/db.js';
export { migrate } from './store/migrate.js';
export { createLogger } from './telemetry/logger.js';

import { runDemo } from './demo.js';

const run = await runDemo();
await run.close();

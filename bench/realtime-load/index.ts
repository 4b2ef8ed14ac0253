export { runLoad } from './run.js';
export type { LoadPlan } from './plan.js';
export type { Latency, LoadReport } from './report.js';

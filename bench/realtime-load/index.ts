export { runLoad } from './run.js';
export type { Latency, LoadReport } from './report.js';

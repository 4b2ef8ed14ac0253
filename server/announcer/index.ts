export type { Announcer, IntegrationHealthChange } from './port.js';
export { BusAnnouncer } from './bus.js';
export { RecordingAnnouncer } from './recording.js';

export type { Announcer } from './port.js';
export { BusAnnouncer } from './bus.js';
export { RecordingAnnouncer } from './recording.js';

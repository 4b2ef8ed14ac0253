import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths whose values are secrets wherever they appear in a log line. */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'visitorToken',
  '*.visitorToken',
  'userToken',
  '*.userToken',
  'userHash',
  '*.userHash',
  'csrfToken',
  '*.csrfToken',
  'headers.cookie',
  'headers.authorization',
  '*.headers.cookie',
  '*.headers.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'palaver' } },
    destination,
  );
}

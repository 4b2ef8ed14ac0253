import type { VisitorServerFrame } from '../../protocol/index.js';

const TYPES = new Set<string>([
  'ready',
  'message',
  'ack',
  'typing',
  'read',
  'conversation',
  'presence',
  'history',
  'error',
]);

/**
 * Frames come from our own server, which builds them from the protocol schemas; the widget checks
 * the envelope only, because zod would cost more bytes than the whole panel budget allows.
 */
export function readFrame(data: unknown): VisitorServerFrame | null {
  try {
    const frame: unknown = JSON.parse(String(data));
    return typeof frame === 'object' &&
      frame !== null &&
      TYPES.has((frame as { type: string }).type)
      ? (frame as VisitorServerFrame)
      : null;
  } catch {
    return null;
  }
}

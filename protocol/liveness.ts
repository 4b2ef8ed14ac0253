import { HEARTBEAT } from './constants.js';

export interface LivenessWatch {
  /** A frame arrived: the connection is alive. */
  heard(): void;
  /** Ask now (after a send, or when the browser says it is back online). */
  probe(): void;
  stop(): void;
}

/**
 * Tells a dead connection from a quiet one for the browser clients (widget and console), which
 * cannot see TCP die: after `HEARTBEAT.idleMs` of silence, or on `probe()`, `ping` is called, and
 * `dead` if nothing is heard within `HEARTBEAT.deadlineMs`. Zod-free: the widget ships it.
 */
export function watchLiveness(ping: () => void, dead: () => void): LivenessWatch {
  let idle: ReturnType<typeof setTimeout> | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const probe = () => {
    if (deadline) return;
    // Armed first: an answer can only clear a deadline that exists.
    deadline = setTimeout(dead, HEARTBEAT.deadlineMs);
    ping();
  };
  const stop = () => {
    clearTimeout(idle);
    clearTimeout(deadline);
    deadline = undefined;
  };
  return {
    heard() {
      stop();
      idle = setTimeout(probe, HEARTBEAT.idleMs);
    },
    probe,
    stop,
  };
}

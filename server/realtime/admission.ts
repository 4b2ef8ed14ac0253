/**
 * Lets expensive per-socket work (the WebSocket upgrade, the visitor's authentication and
 * resume) through a few at a time per turn of the event loop. A reconnect herd then queues here,
 * in arrival order, instead of in front of every other request: a health check or a message that
 * arrives meanwhile waits for one batch, not for the whole herd.
 */
export class Admission {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {}

  /** Resolves when it is the caller's turn. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the turn's I/O: whatever arrived in the meantime is read before the next batch runs.
    setImmediate(() => {
      this.scheduled = false;
      for (const admit of this.waiting.splice(0, this.perTurn)) admit();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}

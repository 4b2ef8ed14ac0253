import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Acme's copies of the project's signing secret, one a line in a file of the data directory, as a
 * site keeps its secrets in its configuration. Read on every check, so that every Acme process
 * sharing the directory accepts the secret any of them was handed; a copy is only ever added,
 * which two processes can do at once without losing one (small appends are atomic).
 */
export class AcmeSigningSecrets {
  constructor(private readonly file: string) {}

  all(): string[] {
    try {
      return readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  add(secret: string): void {
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${secret}\n`, { mode: 0o600 });
  }
}

// Lints the OpenAPI document (built from the route table, no server started) with Redocly CLI's
// recommended rules; any error fails `npm test`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '../server/http/openapi.js';

// A deployment's own address; the linter warns about placeholder hosts (localhost, example.com).
const PUBLIC_URL = 'https://chat.palaver.dev';

const dir = mkdtempSync(join(tmpdir(), 'palaver-openapi-'));
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument(PUBLIC_URL), null, 2));
  const result = spawnSync('npx', ['redocly', 'lint', '--extends=recommended', file], {
    stdio: 'inherit',
    // Lint offline: no usage telemetry, no update check.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

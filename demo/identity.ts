import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { newKeySecret } from '../server/api-keys/index.js';
import { readOrCreateFile } from '../server/data-file.js';
import { AcmeSigningSecrets } from './signing-secrets.js';

/**
 * The demo's user API lives on the Palaver server itself (under /demo-api), that is on a
 * loopback address, which the SSRF guard blocks unless allow-listed; and it speaks plain http.
 * The demo allows both through the documented environment variables, unless they are set.
 */
export function allowDemoEndpoint(env: NodeJS.ProcessEnv): void {
  env.PALAVER_ALLOWED_PRIVATE_HOSTS ??= 'localhost,127.0.0.1,::1';
  env.PALAVER_ALLOW_HTTP_ENDPOINTS ??= 'true';
}

/** The bearer secret Acme's user API expects, generated once into the data directory. */
export function demoApiSecret(dataDir: string): string {
  return readOrCreateFile(
    join(dataDir, 'demo-api-secret'),
    () => `${randomBytes(24).toString('base64url')}\n`,
  ).trim();
}

/**
 * The key Acme's server calls Palaver's public API with, generated once into the data directory;
 * the seed makes it a key of the demo project (`ApiKeyService.ensure`). Delete the file for a new
 * one, e.g. after revoking it in the console.
 */
export function demoPalaverApiKey(dataDir: string): { key: string; file: string } {
  const file = join(dataDir, 'demo-palaver-api-key');
  return { key: readOrCreateFile(file, () => `${newKeySecret()}\n`).trim(), file };
}

/** Where Acme keeps its copies of the demo project's signing secret (the seed adds them). */
export function acmeSigningSecrets(dataDir: string): AcmeSigningSecrets {
  return new AcmeSigningSecrets(join(dataDir, 'demo-signing-secrets'));
}

/** What Acme's server does for a signed-in user: a short-lived userToken for the widget. */
export function mintUserToken(externalUserId: string, projectId: string, secret: string) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(externalUserId)
    .setAudience(projectId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

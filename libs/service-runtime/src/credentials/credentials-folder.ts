import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The secrets a deployment of the suite needs, each in a file of its own. */
export interface Credentials {
  /** The folder (mode 0700) holding them; printed so that a user and scripts find them. */
  readonly folder: string;
  /** The gateway's API token: what MESHMON_GATEWAY_TOKEN_FILE names. */
  readonly gatewayTokenFile: string;
  readonly gatewayToken: string;
}

/** A random secret of `bytes` bytes, hex: safe in a header, a URL and a config file. */
export const newSecret = (bytes = 24): string => randomBytes(bytes).toString('hex');

/**
 * Writes `content` to a file only its owner can read (0600), the folder only its owner can
 * enter (0700). The mode is set at creation, never after the secret is already in the file.
 */
export function writeSecretFile(folder: string, name: string, content: string): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const path = join(folder, name);
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  return path;
}

/**
 * The credentials in `folder`: each one read where it already exists (so a restart, a
 * second command or a user's own secret keeps working), generated where it does not.
 * Idempotent; never prints or logs a secret, only where the files are.
 */
export function ensureCredentials(folder: string): Credentials {
  const gatewayTokenFile = join(folder, 'gateway-token');
  if (!existsSync(gatewayTokenFile)) writeSecretFile(folder, 'gateway-token', `${newSecret()}\n`);
  return {
    folder,
    gatewayTokenFile,
    gatewayToken: readFileSync(gatewayTokenFile, 'utf8').trim(),
  };
}

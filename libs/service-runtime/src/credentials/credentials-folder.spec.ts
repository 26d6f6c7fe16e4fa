import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCredentials, writeSecretFile } from './credentials-folder.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'credentials-spec-'));
const mode = (path: string) => statSync(path).mode & 0o777;

describe(ensureCredentials.name, () => {
  it('credentials - generated once, readable by the owner only, and the same on the next call', () => {
    const folder = join(scratch(), 'credentials');

    const first = ensureCredentials(folder);
    const second = ensureCredentials(folder);

    expect(first.gatewayToken).toMatch(/^[0-9a-f]{48}$/);
    expect(first.redisPassword).toMatch(/^[0-9a-f]{48}$/);
    expect(first.redisPassword).not.toBe(first.gatewayToken);
    expect(mode(first.redisPasswordFile)).toBe(0o600);
    expect(second).toEqual(first);
    expect(readFileSync(first.gatewayTokenFile, 'utf8')).toBe(`${first.gatewayToken}\n`);
    expect(mode(folder)).toBe(0o700);
    expect(mode(first.gatewayTokenFile)).toBe(0o600);
  });

  it("credentials - a user's own token in the folder is kept, trimmed", () => {
    const folder = scratch();
    writeFileSync(join(folder, 'gateway-token'), '  my-own-token-of-some-length \n');

    expect(ensureCredentials(folder).gatewayToken).toBe('my-own-token-of-some-length');
  });

  it('credentials - a secret file is never overwritten', () => {
    const folder = scratch();
    writeSecretFile(folder, 'one', 'a');

    expect(() => writeSecretFile(folder, 'one', 'b')).toThrow(/EEXIST/);
    expect(readFileSync(join(folder, 'one'), 'utf8')).toBe('a');
  });
});

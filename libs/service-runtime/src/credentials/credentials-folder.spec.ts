import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATS_ROLES } from '@meshmon/contracts';
import { ensureCredentials, writeSecretFile } from './credentials-folder.js';
import { natsPublicKey } from './nats-authorization.js';

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

  it('credentials - a NATS seed per role, owner-only, and an authorization block naming each public key', () => {
    const folder = scratch();

    const first = ensureCredentials(folder);
    const second = ensureCredentials(folder);
    const block = readFileSync(first.natsAuthorizationFile, 'utf8');

    expect(Object.keys(first.natsSeedFiles).sort()).toEqual([...NATS_ROLES].sort());
    const seeds = NATS_ROLES.map((role) => readFileSync(first.natsSeedFiles[role], 'utf8').trim());
    for (const seed of seeds) expect(seed).toMatch(/^SU[A-Z2-7]{56}$/);
    expect(new Set(seeds).size).toBe(NATS_ROLES.length);
    for (const role of NATS_ROLES) expect(mode(first.natsSeedFiles[role])).toBe(0o600);
    for (const seed of seeds) expect(block).toContain(`nkey: "${natsPublicKey(seed)}"`);
    for (const seed of seeds) expect(block).not.toContain(seed);
    expect(second).toEqual(first);
    expect(readFileSync(second.natsAuthorizationFile, 'utf8')).toBe(block);
  });

  it('credentials - a NATS seed file with something else in it is named, with the rule', () => {
    const folder = scratch();
    writeFileSync(join(folder, 'nats-sensor.nk'), 'not-a-seed\n');

    expect(() => ensureCredentials(folder)).toThrow(
      `${join(folder, 'nats-sensor.nk')} must hold a NATS user nkey seed (SU and 56 letters or digits 2-7)`,
    );
  });

  it('credentials - a secret file is never overwritten', () => {
    const folder = scratch();
    writeSecretFile(folder, 'one', 'a');

    expect(() => writeSecretFile(folder, 'one', 'b')).toThrow(/EEXIST/);
    expect(readFileSync(join(folder, 'one'), 'utf8')).toBe('a');
  });
});

import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxJournal, OutboxJournalError } from './outbox-journal.js';

const scratch = () => join(mkdtempSync(join(tmpdir(), 'outbox-journal-')), 'outbox');
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe(OutboxJournal.name, () => {
  it('outbox journal - what one process appended and did not remove, the next loads in order', () => {
    const folder = scratch();
    const first = new OutboxJournal(folder);
    const a = first.append('s.a', 'id-a', bytes('{"a":1}'));
    first.append('s.b', 'id-b', bytes('{"b":2}'));
    first.append('s.c', 'id-c', bytes('{"c":3}'));
    first.remove(a);

    const { entries, unreadable } = new OutboxJournal(folder).load();

    expect(entries.map((entry) => [entry.subject, entry.msgId, text(entry.data)])).toEqual([
      ['s.b', 'id-b', '{"b":2}'],
      ['s.c', 'id-c', '{"c":3}'],
    ]);
    expect(unreadable).toEqual([]);
  });

  it('outbox journal - a restarted process appends after what it found, never over it', () => {
    const folder = scratch();
    new OutboxJournal(folder).append('s', 'old', bytes('1'));

    const again = new OutboxJournal(folder);
    again.append('s', 'new', bytes('2'));

    expect(again.load().entries.map((entry) => entry.msgId)).toEqual(['old', 'new']);
  });

  it('outbox journal - files only its owner reads; a damaged one is moved aside and named', () => {
    const folder = scratch();
    const journal = new OutboxJournal(folder);
    const entry = journal.append('s', 'id', bytes('x'));
    writeFileSync(join(folder, '000000000099-00000000.json'), '{"half');

    const { entries, unreadable } = journal.load();

    expect(statSync(join(folder, entry.key)).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(entries.map((one) => one.msgId)).toEqual(['id']);
    expect(unreadable).toEqual([join(folder, '000000000099-00000000.json.bad')]);
    expect(readdirSync(folder).sort()).toEqual([entry.key, '000000000099-00000000.json.bad']);
  });

  it('outbox journal - a write the disk refuses throws and leaves no partial file', () => {
    const folder = scratch();
    const journal = new OutboxJournal(folder);
    rmSync(folder, { recursive: true });

    expect(() => journal.append('s', 'id', bytes('x'))).toThrow(/ENOENT/);
    expect(existsSync(folder)).toBe(false);
  });

  it("outbox journal - a dead writer's temporary file goes at the next load, a fresh one stays", () => {
    const folder = scratch();
    const journal = new OutboxJournal(folder);
    writeFileSync(join(folder, '000000000007-deadbeef.json.tmp'), '{"subj');
    writeFileSync(join(folder, '000000000008-cafebabe.json.tmp'), '{"subj');
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(folder, '000000000007-deadbeef.json.tmp'), old, old);

    journal.load();

    expect(readdirSync(folder)).toEqual(['000000000008-cafebabe.json.tmp']);
  });

  it('outbox journal - a folder it cannot write is refused at once, naming it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'outbox-journal-'));
    chmodSync(parent, 0o500);
    const folder = join(parent, 'outbox');

    // Root writes anywhere: there the refusal needs a path that cannot be a folder.
    const blocked = process.getuid?.() === 0 ? join('/proc/self/status', 'outbox') : folder;

    expect(() => new OutboxJournal(blocked)).toThrow(OutboxJournalError);
    expect(() => new OutboxJournal(blocked)).toThrow(`cannot keep an outbox in ${blocked}`);
  });
});

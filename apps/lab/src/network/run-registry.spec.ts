import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listRuns, processStartTicks, RunRecord } from './run-registry.js';

describe(RunRecord.name, () => {
  let stateDir: string;

  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'meshmon-run-registry-'));
  });

  function stored(runId: string): unknown {
    return JSON.parse(readFileSync(join(stateDir, `${runId}.json`), 'utf8'));
  }

  it('run record - claims a run id and keeps each resource on disk as it comes and goes', () => {
    const { record, stale } = RunRecord.claim(stateDir, 'ab12');
    record.add({ kind: 'link', name: 'mmab12-br' });
    record.add({ kind: 'netns', name: 'mmab12-n1' });
    record.remove({ kind: 'link', name: 'mmab12-br' });

    expect(stale).toBeNull();
    expect(stored('ab12')).toEqual({
      runId: 'ab12',
      pid: process.pid,
      startTicks: processStartTicks(process.pid),
      subnet: null,
      resources: [{ kind: 'netns', name: 'mmab12-n1' }],
    });
    expect(listRuns(stateDir)).toEqual([expect.objectContaining({ alive: true })]);
    record.delete();
    expect(listRuns(stateDir)).toEqual([]);
  });

  it('run record - refuses a run id that a live process holds', () => {
    writeFileSync(
      join(stateDir, 'ab12.json'),
      JSON.stringify({ runId: 'ab12', pid: process.ppid }),
    );

    expect(() => RunRecord.claim(stateDir, 'ab12')).toThrow(
      `runId "ab12" is in use by the lab running as pid ${process.ppid}; pick another`,
    );
  });

  it('run record - hands back the record of a dead owner, for cleanup first', () => {
    const dead = {
      runId: 'ab12',
      pid: 999_999_999,
      startTicks: 5,
      subnet: '10.213.9.0/24',
      resources: [{ kind: 'netns', name: 'mmab12-n1' }],
    };
    writeFileSync(join(stateDir, 'ab12.json'), JSON.stringify(dead));

    const { stale } = RunRecord.claim(stateDir, 'ab12');

    expect(stale).toEqual(dead);
    expect(stored('ab12')).toMatchObject({ pid: process.pid, resources: [] });
  });

  it('run record - a live pid that started at another time is a reused pid, not the owner', () => {
    writeFileSync(
      join(stateDir, 'ab12.json'),
      JSON.stringify({ pid: process.ppid, startTicks: -1 }),
    );

    expect(listRuns(stateDir)).toEqual([expect.objectContaining({ alive: false })]);
  });

  it('run record - reads the older { pid, bridge } records and unreadable ones', () => {
    writeFileSync(
      join(stateDir, 'old1.json'),
      JSON.stringify({ pid: 999_999_999, bridge: 'mmbr-old1' }),
    );
    writeFileSync(join(stateDir, 'bad2.json'), '{ not json');

    const runs = listRuns(stateDir).sort((a, b) => a.data.runId.localeCompare(b.data.runId));

    expect(runs.map((run) => [run.data.runId, run.alive, run.data.resources])).toEqual([
      ['bad2', false, []],
      ['old1', false, [{ kind: 'link', name: 'mmbr-old1' }]],
    ]);
  });
});

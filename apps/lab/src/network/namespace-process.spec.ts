import { commandLine, NamespaceProcessError, type NamespaceCommand } from './namespace-process.js';

const base: NamespaceCommand = {
  namespace: 'mmab12-n1',
  command: 'node',
  args: ['dist/apps/sensor/src/main.js'],
  logFile: '/tmp/n1-sensor.log',
};

describe(commandLine.name, () => {
  it('namespace command - plain: ip netns exec, then the command', () => {
    expect(commandLine(base)).toEqual([
      ...['ip', 'netns', 'exec', 'mmab12-n1'],
      ...['node', 'dist/apps/sensor/src/main.js'],
    ]);
  });

  it('namespace command - joins the cgroups first, then pins, then lowers priority, then enters the namespace', () => {
    const sut = commandLine({
      ...base,
      placement: {
        cgroupProcsFiles: [
          '/sys/fs/cgroup/cpu/mmab12-n1/cgroup.procs',
          '/sys/fs/cgroup/cpuset/mmab12-n1/cgroup.procs',
        ],
        cpus: '1',
        nice: 19,
      },
    });

    expect(sut.slice(0, 2)).toEqual(['sh', '-c']);
    expect(sut.slice(3)).toEqual([
      ...[
        'sh',
        '2',
        '/sys/fs/cgroup/cpu/mmab12-n1/cgroup.procs',
        '/sys/fs/cgroup/cpuset/mmab12-n1/cgroup.procs',
      ],
      ...['taskset', '-c', '1'],
      ...['nice', '-n', '19'],
      ...['ip', 'netns', 'exec', 'mmab12-n1', 'node', 'dist/apps/sensor/src/main.js'],
    ]);
  });

  it.each<[Partial<NamespaceCommand>, string]>([
    [{ namespace: '../etc' }, 'namespace must be a plain name (got "../etc")'],
    [{ placement: { cpus: '1;rm' } }, 'cpus must be a CPU list like "1" or "0,2-3" (got "1;rm")'],
    [{ placement: { nice: 20 } }, 'nice must be an integer from -20 to 19 (got 20)'],
  ])('namespace command - refuses %j', (change, message) => {
    expect(() => commandLine({ ...base, ...change })).toThrow(new NamespaceProcessError(message));
  });
});

import { InvalidNameError } from './names.js';
import { Subjects } from './subjects.js';

describe(Subjects.name, () => {
  let sut: Subjects;

  beforeEach(() => {
    sut = new Subjects('lab-2');
  });

  it('builds every subject under meshmon.<cluster>.v1', () => {
    expect(sut.prefix).toBe('meshmon.lab-2.v1');
    expect(sut.schedulerMessage('n1', 'sensor', 'slot-request')).toBe(
      'meshmon.lab-2.v1.node.n1.sensor.slot-request',
    );
    expect(sut.moduleWildcard('n1', 'sensor')).toBe('meshmon.lab-2.v1.node.n1.sensor.>');
    expect(sut.broadcast('controller', 'hello')).toBe('meshmon.lab-2.v1.all.controller.hello');
    expect(sut.broadcastWildcard('controller')).toBe('meshmon.lab-2.v1.all.controller.>');
    expect(sut.serverStart('n2')).toBe('meshmon.lab-2.v1.node.n2.sensor.server.start');
    expect(sut.serverStop('n2')).toBe('meshmon.lab-2.v1.node.n2.sensor.server.stop');
    expect(sut.result('n1', 'n2')).toBe('meshmon.lab-2.v1.results.n1.n2');
    expect(sut.resultsWildcard).toBe('meshmon.lab-2.v1.results.>');
    expect(sut.resultsStream).toBe('MESHMON_LAB_2_RESULTS');
    expect(sut.event('role-switched')).toBe('meshmon.lab-2.v1.events.role-switched');
    expect(sut.event('error')).toBe(sut.errorEvents);
    expect(sut.eventsWildcard).toBe('meshmon.lab-2.v1.events.>');
    expect(sut.redis.prefix).toBe('meshmon:lab-2');
    expect(sut.samples('result-sink', 'sink-1')).toBe(
      'meshmon.lab-2.v1.samples.result-sink.sink-1',
    );
    expect(sut.samplesWildcard).toBe('meshmon.lab-2.v1.samples.>');
    expect(sut.samplesStream).toBe('MESHMON_LAB_2_SAMPLES');
  });

  it('samples - reads back a sample subject; refuses a service it does not know', () => {
    expect(sut.parse(sut.samples('orchestrator', 'host_a'))).toEqual({
      kind: 'sample',
      service: 'orchestrator',
      node: 'host_a',
    });
    expect(sut.parse('meshmon.lab-2.v1.samples.dockerd.n1')).toBeNull();
    expect(sut.parse('meshmon.lab-2.v1.samples.monitor')).toBeNull();
    expect(() => sut.samples('dockerd' as never, 'n1')).toThrow(
      'service must be one of controller, sensor, monitor, flow-discovery, result-sink, gateway, orchestrator',
    );
  });

  it('parse - reads back what the builders make', () => {
    expect(sut.parse(sut.schedulerMessage('node_7', 'monitor', 'slot-grant'))).toEqual({
      kind: 'scheduler',
      node: 'node_7',
      module: 'monitor',
      type: 'slot-grant',
    });
    expect(sut.parse(sut.broadcast('sensor', 'members'))).toEqual({
      kind: 'broadcast',
      module: 'sensor',
      type: 'members',
    });
    expect(sut.parse(sut.result('n1', 'n2'))).toEqual({
      kind: 'result',
      monitor: 'n1',
      sensor: 'n2',
    });
    expect(sut.parse(sut.event('probe-failed'))).toEqual({ kind: 'event', type: 'probe-failed' });
    expect(sut.parse(sut.errorEvents)).toEqual({ kind: 'event', type: 'error' });
  });

  it("parse - tells server control apart from scheduler messages on the sensor's wildcard", () => {
    expect(sut.parse(sut.serverStart('n2'))).toEqual({
      kind: 'server',
      sensor: 'n2',
      action: 'start',
    });
    expect(sut.parse(sut.serverStop('n2'))).toEqual({
      kind: 'server',
      sensor: 'n2',
      action: 'stop',
    });
    expect(sut.parse(sut.schedulerMessage('n2', 'sensor', 'slot-release'))?.kind).toBe('scheduler');
  });

  it.each([
    'meshmon.other.v1.node.n1.sensor.slot-request',
    'meshmon.lab-2.v2.node.n1.sensor.slot-request',
    'meshmon.lab-2.v1.node.n1.sensor.shout',
    'meshmon.lab-2.v1.node.n1.sensor.server.restart',
    'meshmon.lab-2.v1.node.n1.monitor.server.start',
    'meshmon.lab-2.v1.node.n1.router.hello',
    'meshmon.lab-2.v1.node..sensor.hello',
    'meshmon.lab-2.v1.node.n1.sensor.slot-request.extra',
    'meshmon.lab-2.v1.all.sensor',
    'meshmon.lab-2.v1.results.n1',
    'meshmon.lab-2.v1.events.made-up',
    'meshmon.lab-2.v1',
    'meshmon.lab-2.v1.',
    '',
  ])('parse - %j is not one of ours', (subject) => {
    expect(sut.parse(subject)).toBeNull();
  });

  it.each<[string, () => unknown, string]>([
    ['a dotted node', () => sut.schedulerMessage('n1.evil', 'sensor', 'hello'), 'node'],
    ['an empty node', () => sut.moduleWildcard('', 'sensor'), 'node'],
    ['a wildcard sensor', () => sut.serverStart('*'), 'sensor'],
    ['a dotted monitor', () => sut.result('a.b', 'n2'), 'monitor'],
    ['an empty sensor', () => sut.result('n1', ''), 'sensor'],
    ['an unknown module', () => sut.broadcast('router' as never, 'hello'), 'module'],
    ['an unknown message type', () => sut.broadcast('sensor', 'shout' as never), 'type'],
    ['an unknown event type', () => sut.event('made-up' as never), 'type'],
  ])('refuses %s, naming the argument', (_name, build, field) => {
    expect(build).toThrow(InvalidNameError);
    try {
      build();
    } catch (error) {
      expect((error as InvalidNameError).problem.field).toBe(field);
    }
  });

  it.each(['', 'Lab', 'a.b', '-lab', 'lab_2', 'x'.repeat(33)])(
    'refuses the cluster name %j',
    (cluster) => {
      expect(() => new Subjects(cluster)).toThrow(/^cluster must be a cluster name/);
    },
  );

  it('accepts node names up to 63 characters with _ and -', () => {
    const node = `N${'a_-'.repeat(20)}bc`;
    expect(node).toHaveLength(63);
    expect(sut.parse(sut.serverStart(node))).toEqual({
      kind: 'server',
      sensor: node,
      action: 'start',
    });
    expect(() => sut.serverStart(`${node}x`)).toThrow(InvalidNameError);
  });
});

import { SERVICE_NAMES } from '../names.js';
import { Subjects } from '../subjects.js';
import {
  NATS_ROLES,
  inboxPrefixOf,
  mayPublish,
  maySubscribe,
  natsPermissions,
  subjectMatches,
  type NatsRole,
} from './nats-permissions.js';

const matches = subjectMatches;

const subjects = new Subjects('prod-1');
const others = (...roles: NatsRole[]) => NATS_ROLES.filter((role) => !roles.includes(role));

describe('natsPermissions', () => {
  it('nats permissions - the matcher follows the server: * is one token, > one or more', () => {
    expect(matches('a.*.c', 'a.b.c')).toBe(true);
    expect(matches('a.*.c', 'a.b.d.c')).toBe(false);
    expect(matches('a.>', 'a')).toBe(false);
    expect(matches('a.>', 'a.b.c')).toBe(true);
    expect(matches('a.b', 'a.b.c')).toBe(false);
  });

  it('nats permissions - only the gateway publishes control and asks a monitor to measure now', () => {
    for (const subject of [
      subjects.schedulerControl,
      subjects.intentsControl,
      subjects.measureRequest('n1'),
    ]) {
      expect(mayPublish('gateway', subject)).toBe(true);
      for (const role of others('gateway'))
        expect([role, mayPublish(role, subject)]).toEqual([role, false]);
    }
  });

  it('nats permissions - only a monitor publishes results, and only flow discovery flow maps', () => {
    const result = subjects.result('n1', 'n2');
    expect(mayPublish('monitor', result)).toBe(true);
    for (const role of others('monitor'))
      expect([role, mayPublish(role, result)]).toEqual([role, false]);
    const flows = subjects.flows('n1');
    expect(mayPublish('flow-discovery', flows)).toBe(true);
    for (const role of others('flow-discovery'))
      expect([role, mayPublish(role, flows)]).toEqual([role, false]);
  });

  it('nats permissions - a service publishes its own samples and no other service’s', () => {
    for (const service of SERVICE_NAMES) {
      for (const sampled of SERVICE_NAMES) {
        expect([service, sampled, mayPublish(service, subjects.samples(sampled, 'n1'))]).toEqual([
          service,
          sampled,
          service === sampled,
        ]);
      }
    }
  });

  it('nats permissions - only a monitor starts or stops a sensor’s iperf3 server', () => {
    for (const subject of [subjects.serverStart('n2'), subjects.serverStop('n2')]) {
      expect(mayPublish('monitor', subject)).toBe(true);
      for (const role of others('monitor'))
        expect([role, mayPublish(role, subject)]).toEqual([role, false]);
    }
  });

  it('nats permissions - the node modules reach each other’s modules on every node', () => {
    for (const from of ['controller', 'sensor', 'monitor'] as const) {
      for (const to of ['controller', 'sensor', 'monitor'] as const) {
        expect(mayPublish(from, subjects.schedulerMessage('n3', to, 'module-ready'))).toBe(true);
        expect(mayPublish(from, subjects.broadcast(to, 'module-ready'))).toBe(true);
      }
      expect(maySubscribe(from, subjects.moduleWildcard('n1', from))).toBe(true);
      expect(maySubscribe(from, subjects.broadcastWildcard(from))).toBe(true);
      expect(maySubscribe(from, subjects.schedulerControl)).toBe(true);
    }
    expect(
      mayPublish('gateway', subjects.schedulerMessage('n1', 'monitor', 'priority-override')),
    ).toBe(true);
    expect(mayPublish('gateway', subjects.schedulerMessage('n1', 'sensor', 'module-ready'))).toBe(
      false,
    );
    expect(
      mayPublish('flow-discovery', subjects.schedulerMessage('n1', 'controller', 'module-ready')),
    ).toBe(false);
  });

  it('nats permissions - a module hears only its own module’s messages', () => {
    expect(maySubscribe('sensor', subjects.schedulerMessage('n1', 'monitor', 'module-ready'))).toBe(
      false,
    );
    expect(maySubscribe('sensor', subjects.serverStart('n1'))).toBe(true);
    expect(maySubscribe('monitor', subjects.serverStart('n1'))).toBe(false);
    expect(maySubscribe('monitor', subjects.measureRequest('n1'))).toBe(true);
    expect(maySubscribe('controller', subjects.flows('n1'))).toBe(true);
    expect(maySubscribe('sensor', subjects.flows('n1'))).toBe(false);
  });

  it('nats permissions - the observer reads events, results, samples and flows and publishes nothing of ours', () => {
    for (const subject of [
      subjects.event('error'),
      subjects.result('n1', 'n2'),
      subjects.samples('monitor', 'n1'),
      subjects.flows('n1'),
    ]) {
      expect(maySubscribe('observer', subject)).toBe(true);
    }
    for (const subject of [
      subjects.event('error'),
      subjects.result('n1', 'n2'),
      subjects.schedulerMessage('n1', 'monitor', 'module-ready'),
      subjects.schedulerControl,
    ]) {
      expect(mayPublish('observer', subject)).toBe(false);
    }
    expect(natsPermissions('observer').allowResponses).toBe(false);
  });

  it('nats permissions - every role reads its own inbox and no service another’s', () => {
    for (const role of NATS_ROLES) {
      expect(maySubscribe(role, `${inboxPrefixOf(role)}.abc`)).toBe(true);
      for (const other of others(role)) {
        expect([role, other, maySubscribe(role, `${inboxPrefixOf(other)}.abc`)]).toEqual([
          role,
          other,
          false,
        ]);
      }
    }
  });

  it('nats permissions - nobody may subscribe to everything or publish into the API at large', () => {
    for (const role of NATS_ROLES) {
      const { publish, subscribe } = natsPermissions(role);
      expect(
        [...publish.allow, ...subscribe.allow].filter((p) => p === '>' || p === '$JS.API.>'),
      ).toEqual([]);
      expect(mayPublish(role, '$JS.API.STREAM.DELETE.MESHMON_PROD_1_RESULTS')).toBe(false);
      expect(mayPublish(role, '$JS.API.STREAM.PURGE.MESHMON_PROD_1_RESULTS')).toBe(false);
    }
  });
});

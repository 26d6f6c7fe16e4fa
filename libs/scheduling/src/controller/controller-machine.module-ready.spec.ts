import { addressOf } from '../core/address.js';
import { defaultSchedulerConfig } from '../config/scheduler-config.js';
import { sentOf } from '../testing/effect-queries.js';
import { scriptedRandom } from '../testing/scripted-network.js';
import { PeriodController } from './period-controller.js';
import { CpsRolePlanner } from './role-planner.js';

const config = defaultSchedulerConfig(10_000);
const MEMBERS = ['n1', 'n2', 'n3'];

function controller(draw: number): PeriodController {
  const random = scriptedRandom(draw, 0);
  return new PeriodController(
    { node: 'n1', members: MEMBERS, config, random },
    new CpsRolePlanner(config, random),
    true,
  );
}

const ready = (module: 'sensor' | 'monitor') => ({ type: 'module-ready' as const, module });

describe('ControllerMachine: a module that (re)starts asks for its state', () => {
  it('controller - re-sends the members and the active role to the module in that role', () => {
    const sut = controller(0.2); // starts as monitor
    sut.start(0);
    const effects = sut.receive(addressOf('n1', 'monitor'), ready('monitor'), 5);
    expect(sentOf(effects, 'members').map((m) => [m.to.module, m.message.members])).toEqual([
      ['monitor', MEMBERS],
    ]);
    expect(sentOf(effects, 'role').map((r) => [r.to.module, r.message.active])).toEqual([
      ['monitor', true],
    ]);
  });

  it('controller - tells a module not in role that it is inactive', () => {
    const sut = controller(0.2);
    sut.start(0);
    const effects = sut.receive(addressOf('n1', 'sensor'), ready('sensor'), 5);
    expect(sentOf(effects, 'role').map((r) => [r.to.module, r.message.active])).toEqual([
      ['sensor', false],
    ]);
  });

  it('controller - re-sends the last scope it was told, and all pairs before any', () => {
    const sut = controller(0.2);
    sut.start(0);
    const before = sut.receive(addressOf('n1', 'monitor'), ready('monitor'), 5);
    expect(sentOf(before, 'intents').map((i) => [i.to.module, i.message.scope])).toEqual([
      ['monitor', { mode: 'all' }],
    ]);
    const scope = { mode: 'pairs' as const, pairs: [['n1', 'n2'] as const] };
    sut.receive(addressOf('n1', 'controller'), { type: 'intents', scope }, 6);
    const after = sut.receive(addressOf('n1', 'monitor'), ready('monitor'), 7);
    expect(sentOf(after, 'intents').map((i) => [i.to.module, i.message.scope])).toEqual([
      ['monitor', scope],
    ]);
  });

  it('controller - ignores a module-ready from another node', () => {
    const sut = controller(0.2);
    sut.start(0);
    expect(sut.receive(addressOf('n2', 'monitor'), ready('monitor'), 5)).toEqual([]);
  });
});

import { fenceKey, leaseKey, numberHash, RedisKeys, wantedKey } from './redis-keys.js';

describe(RedisKeys.name, () => {
  it('redis keys - every key of a cluster starts with meshmon:<cluster>:', () => {
    const keys = new RedisKeys('prod');

    expect([
      keys.schedulerState,
      keys.manualIntents,
      keys.discoveryMode,
      keys.discoveredIntents('n1'),
      keys.monitorLastMeasured('n1'),
      keys.monitorPinnedPriority('n1'),
      leaseKey(keys.prefix, 'n2'),
      fenceKey(keys.prefix, 'n2'),
      wantedKey(keys.prefix, 'n2'),
    ]).toEqual([
      'meshmon:prod:scheduler',
      'meshmon:prod:intents:manual',
      'meshmon:prod:intents:discovery-mode',
      'meshmon:prod:intents:discovered:n1',
      'meshmon:prod:monitor:n1:last-measured',
      'meshmon:prod:monitor:n1:pinned-priority',
      'meshmon:prod:lease:n2',
      'meshmon:prod:fence:n2',
      'meshmon:prod:wanted:n2',
    ]);
  });

  it('redis keys - a node name that could not be a subject token is refused', () => {
    expect(() => new RedisKeys('prod').discoveredIntents('n1:x')).toThrow(/node/);
  });

  it('redis keys - a hash of numbers skips what does not parse', () => {
    expect(
      numberHash({ n1: '1700000000000', n2: '', n3: 'soon', n4: '-5', n5: 'Infinity' }),
    ).toEqual(
      new Map([
        ['n1', 1_700_000_000_000],
        ['n4', -5],
      ]),
    );
  });
});

import {
  DEFAULT_DISCOVERED_INTENTS_OPTIONS,
  DiscoveredIntents,
  DiscoveredIntentsOptionsError,
} from './discovered-intents.js';

const OPTIONS = { windowMs: 30_000, enterObservations: 2, exitAfterMs: 120_000 };
const INTERVAL = 2000;

describe(DiscoveredIntents.name, () => {
  let sut: DiscoveredIntents;

  beforeEach(() => {
    sut = new DiscoveredIntents(OPTIONS);
  });

  it('makes a peer an intent on its second sighting within the window', () => {
    expect(sut.observe(['b'], 0)).toEqual({ added: [], removed: [] });
    expect(sut.observe(['b'], INTERVAL)).toEqual({ added: ['b'], removed: [] });
    expect(sut.current()).toEqual(['b']);
    expect(sut.observe(['b'], 2 * INTERVAL)).toEqual({ added: [], removed: [] });
  });

  it('never makes a short blip an intent', () => {
    const changes = [sut.observe(['b'], 0)];
    for (let now = INTERVAL; now <= 200_000; now += INTERVAL) changes.push(sut.observe([], now));

    expect(changes.flatMap((change) => change.added)).toEqual([]);
    expect(sut.current()).toEqual([]);
    expect(sut.nextDeadlineMs()).toBeNull();
  });

  it('does not count sightings further apart than the window', () => {
    sut.observe(['b'], 0);

    expect(sut.observe(['b'], 30_001).added).toEqual([]);
    expect(sut.observe(['b'], 60_000).added).toEqual(['b']);
  });

  it('counts the window inclusive of its start', () => {
    sut.observe(['b'], 0);

    expect(sut.observe(['b'], 30_000).added).toEqual(['b']);
  });

  it('keeps one intent for a connection that blinks', () => {
    const added: string[] = [];
    const removed: string[] = [];
    // Seen for 10 s, gone for 60 s, back for 10 s, gone for 90 s, back: five cycles.
    const pattern = [10_000, 60_000, 10_000, 90_000];
    let now = 0;
    for (let cycle = 0; cycle < 5; cycle += 1) {
      for (const [index, length] of pattern.entries()) {
        const end = now + length;
        for (; now < end; now += INTERVAL) {
          const changes = sut.observe(index % 2 === 0 ? ['b'] : [], now);
          added.push(...changes.added);
          removed.push(...changes.removed);
        }
      }
    }

    expect(added).toEqual(['b']);
    expect(removed).toEqual([]);
    expect(sut.current()).toEqual(['b']);
  });

  it('removes an intent after the exit time of silence, not before', () => {
    sut.observe(['b', 'c'], 0);
    sut.observe(['b', 'c'], INTERVAL);
    sut.observe(['c'], 10_000);

    expect(sut.nextDeadlineMs()).toBe(INTERVAL + 120_000);
    expect(sut.expire(INTERVAL + 119_999)).toEqual([]);
    expect(sut.expire(INTERVAL + 120_000)).toEqual(['b']);
    expect(sut.current()).toEqual(['c']);
    expect(sut.nextDeadlineMs()).toBe(130_000);
    expect(sut.observe([], 130_000)).toEqual({ added: [], removed: ['c'] });
    expect(sut.nextDeadlineMs()).toBeNull();
  });

  it('needs the full number of sightings again after a removal', () => {
    sut.observe(['b'], 0);
    sut.observe(['b'], INTERVAL);
    sut.expire(200_000);

    expect(sut.observe(['b'], 200_000).added).toEqual([]);
    expect(sut.observe(['b'], 202_000).added).toEqual(['b']);
  });

  it('counts a peer listed twice in one observation once', () => {
    expect(sut.observe(['b', 'b'], 0).added).toEqual([]);
  });

  it('enters on the first sighting with enterObservations 1', () => {
    sut = new DiscoveredIntents({ ...OPTIONS, enterObservations: 1 });

    expect(sut.observe(['c', 'b'], 0)).toEqual({ added: ['b', 'c'], removed: [] });
  });

  it('treats a clock that goes backwards as no time passing', () => {
    sut.observe(['b'], 10_000);
    sut.observe(['b'], 12_000);

    expect(sut.observe([], 0).removed).toEqual([]);
    expect(sut.nextDeadlineMs()).toBe(132_000);
  });

  it('uses the documented defaults', () => {
    expect(new DiscoveredIntents().options).toEqual(DEFAULT_DISCOVERED_INTENTS_OPTIONS);
  });

  it('refuses options that break a rule, naming each option', () => {
    const build = () =>
      new DiscoveredIntents({ windowMs: 1.5, enterObservations: 0, exitAfterMs: 100 });

    expect(build).toThrow(DiscoveredIntentsOptionsError);
    expect(build).toThrow(
      'windowMs must be an integer >= 1; enterObservations must be an integer >= 1',
    );
    expect(() => new DiscoveredIntents({ windowMs: 60_000, exitAfterMs: 60_000 })).toThrow(
      'exitAfterMs must be greater than windowMs',
    );
  });
});

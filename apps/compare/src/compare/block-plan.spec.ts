import { planBlocks, plannedSeconds } from './block-plan.js';

const SCENARIO = { blocks: 3, windows: 30, seed: 7 };

describe(planBlocks.name, () => {
  it('block plan - every round has each orchestrator once; windows split evenly over blocks', () => {
    const plan = planBlocks(['process', 'container', 'swarm'], SCENARIO);

    expect(plan).toHaveLength(9);
    for (const round of [1, 2, 3]) {
      const names = plan.filter((block) => block.round === round).map((b) => b.orchestrator);
      expect(names.sort()).toEqual(['container', 'process', 'swarm']);
    }
    expect(plan.every((block) => block.windows === 10)).toBe(true);
  });

  it('block plan - the order is drawn from the seed: the same seed, the same order', () => {
    const order = (seed: number) =>
      planBlocks(['process', 'container', 'swarm'], { ...SCENARIO, seed })
        .map((block) => block.orchestrator)
        .join(',');

    expect(order(7)).toBe(order(7));
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => order(seed)));
    // Not all of one orchestrator first: many different interleavings over 20 seeds.
    expect(orders.size).toBeGreaterThan(5);
  });

  it('block plan - the time it takes beside deployments', () => {
    const plan = planBlocks(['process', 'swarm'], { blocks: 2, windows: 4, seed: 1 });

    expect(plannedSeconds(plan, { warmupSeconds: 30, windowSeconds: 20 })).toBe(4 * (30 + 2 * 20));
  });
});

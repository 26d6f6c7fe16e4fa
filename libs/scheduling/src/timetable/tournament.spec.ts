import { viewIdOf } from '../membership/view-id.js';
import { Tournament, type SlotPlan } from './tournament.js';

const nodes = (count: number): string[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);

const SIZES = Array.from({ length: 16 }, (_, i) => i + 2);

/** Every member's plan in every slot of one cycle: plans[slot][member index]. */
function cycleOf(sut: Tournament): (SlotPlan | null)[][] {
  return Array.from({ length: sut.slotsPerCycle }, (_, slot) =>
    sut.members.map((member) => sut.planFor(member, slot)),
  );
}

describe(Tournament.name, () => {
  describe.each(SIZES)('with %i members', (size) => {
    const members = nodes(size);
    const evenSize = size % 2 === 0 ? size : size + 1;

    it('tournament - a cycle has 2(N\u2032 - 1) slots', () => {
      const sut = new Tournament(members);

      expect(sut.slotsPerCycle).toBe(2 * (evenSize - 1));
    });

    it('tournament - measures every ordered pair exactly once per cycle', () => {
      const sut = new Tournament(members);
      const seen = new Map<string, number>();

      for (const plans of cycleOf(sut)) {
        plans.forEach((plan, i) => {
          if (plan?.role !== 'monitor') return;
          const pair = `${members[i]}>${plan.partner}`;
          seen.set(pair, (seen.get(pair) ?? 0) + 1);
        });
      }

      const expected = members.flatMap((a) =>
        members.filter((b) => b !== a).map((b) => `${a}>${b}`),
      );
      expect([...seen.keys()].sort()).toEqual(expected.sort());
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    });

    it('tournament - pairs partners with opposite roles in every slot', () => {
      const sut = new Tournament(members);

      cycleOf(sut).forEach((plans, slot) => {
        plans.forEach((plan, i) => {
          if (!plan) return;
          expect(plan.partner).not.toBe(members[i]);
          expect(sut.planFor(plan.partner, slot)).toEqual({
            role: plan.role === 'monitor' ? 'sensor' : 'monitor',
            partner: members[i],
          });
        });
      });
    });

    it('tournament - gives one member a bye per round when N is odd and none when even', () => {
      const sut = new Tournament(members);
      const cycle = cycleOf(sut);

      for (let round = 0; round < sut.rounds; round++) {
        const byes = (slot: number): string[] => members.filter((_, i) => cycle[slot][i] === null);
        expect(byes(2 * round)).toHaveLength(size % 2);
        expect(byes(2 * round + 1)).toEqual(byes(2 * round));
      }
    });

    it('tournament - rotation changes the order of the slots but not the pairs', () => {
      const plain = cycleOf(new Tournament(members));
      const slots = plain.length;

      for (let rotation = 1; rotation < slots / 2; rotation++) {
        const sut = new Tournament(members, rotation);
        const rotated = cycleOf(sut);
        // Rotating by k rounds starts the cycle 2k slots later: same slots, other order.
        rotated.forEach((plans, slot) =>
          expect(plans).toEqual(plain[(slot + 2 * rotation) % slots]),
        );
        expect(rotated[0]).not.toEqual(plain[0]);
      }
    });
  });

  it('tournament - has no plan for a node outside the member list', () => {
    const sut = new Tournament(nodes(4));

    expect(sut.planFor('n5', 0)).toBeNull();
  });

  it('tournament - a lone member has only byes', () => {
    const sut = new Tournament(['n1']);

    expect(cycleOf(sut)).toEqual([[null], [null]]);
  });
});

// The timetable's view identity; kept here because every node derives its tournament from it.
describe(viewIdOf.name, () => {
  it('view id - is equal for equal member lists', () => {
    expect(viewIdOf(['n1', 'n2', 'n10'])).toBe(viewIdOf(['n1', 'n2', 'n10'].slice()));
  });

  it('view id - differs when one member differs', () => {
    expect(viewIdOf(['n1', 'n2', 'n3'])).not.toBe(viewIdOf(['n1', 'n2', 'n4']));
  });

  it('view id - differs when a member is added or removed', () => {
    expect(viewIdOf(['n1', 'n2'])).not.toBe(viewIdOf(['n1', 'n2', 'n3']));
  });

  it('view id - keeps member boundaries apart', () => {
    expect(viewIdOf(['n1', 'n23'])).not.toBe(viewIdOf(['n12', 'n3']));
  });
});

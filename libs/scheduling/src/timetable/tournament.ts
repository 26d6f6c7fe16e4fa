import type { NodeId } from '../core/address.js';

export interface SlotPlan {
  readonly role: 'monitor' | 'sensor';
  readonly partner: NodeId;
}

/**
 * A round-robin tournament by the circle method, as a timetable of measurement slots.
 *
 * With N members (one dummy added when N is odd, giving byes) there are N' - 1 rounds in
 * which everyone meets a different partner. Each round has two slots: in the first one
 * member of each pair measures the other, in the second the other way round. A cycle of
 * 2(N' - 1) slots therefore measures every ordered pair exactly once with floor(N/2)
 * events at a time, which is the floor no scheduler can beat.
 *
 * Every node computes its own slots from the member list alone, so nodes that share a
 * view agree on the whole timetable without talking. `rotation` shifts which round comes
 * first so that different views do not always start with the same pairs.
 */
export class Tournament {
  private readonly index = new Map<NodeId, number>();
  private readonly players: number;
  readonly rounds: number;

  constructor(
    readonly members: readonly NodeId[],
    private readonly rotation = 0,
  ) {
    members.forEach((member, i) => this.index.set(member, i));
    this.players = members.length % 2 === 0 ? members.length : members.length + 1;
    this.rounds = Math.max(this.players - 1, 0);
  }

  get slotsPerCycle(): number {
    return 2 * this.rounds;
  }

  /** What `node` does in slot `slot` of a cycle, or null for a bye (or a non-member). */
  planFor(node: NodeId, slot: number): SlotPlan | null {
    const self = this.index.get(node);
    if (self === undefined || this.rounds === 0) return null;
    const round = (Math.floor(slot / 2) + this.rotation) % this.rounds;
    const partner = this.partnerIndex(self, round);
    if (partner >= this.members.length) return null;
    const low = Math.min(self, partner);
    const firstMonitor = round % 2 === 0 ? low : Math.max(self, partner);
    const monitor = slot % 2 === 0 ? firstMonitor : firstMonitor === self ? partner : self;
    return { role: monitor === self ? 'monitor' : 'sensor', partner: this.members[partner] };
  }

  private partnerIndex(player: number, round: number): number {
    const fixed = this.players - 1;
    const ring = this.players - 1;
    if (player === fixed) return round;
    if (player === round) return fixed;
    return (((2 * round - player) % ring) + ring) % ring;
  }
}

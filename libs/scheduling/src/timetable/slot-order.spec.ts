import { assignmentVerdict } from './slot-order.js';

const at = (cycle: number, slot: number, viewId = 'v1') => ({ viewId, cycle, slot });

describe(assignmentVerdict.name, () => {
  it('slot order - a later slot, a first slot, another view and an older slot are taken', () => {
    expect(assignmentVerdict(at(0, 4), at(0, 3), null)).toBe('take');
    expect(assignmentVerdict(at(1, 0), null, at(0, 9))).toBe('take');
    expect(assignmentVerdict(at(0, 0), null, null)).toBe('take');
    expect(assignmentVerdict(at(0, 0, 'v2'), at(5, 1), null)).toBe('take');
    // A restarted controller begins again at the first slot: it must be followed.
    expect(assignmentVerdict(at(0, 0), null, at(4, 2))).toBe('take');
  });

  it('slot order - the slot in hand is kept, the slot finished last is reported again', () => {
    expect(assignmentVerdict(at(2, 3), at(2, 3), at(2, 2))).toBe('keep');
    expect(assignmentVerdict(at(2, 2), null, at(2, 2))).toBe('report-again');
  });
});

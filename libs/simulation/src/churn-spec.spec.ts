import { ChurnSpecError, churnProblem, parseChurnSpec, type ChurnEvent } from './churn-spec.js';

const FORM = '<join|leave|crash>:<node>@<seconds>';

describe(parseChurnSpec.name, () => {
  const sut = parseChurnSpec;

  it('churn spec - parses joins, leaves and crashes with their times', () => {
    expect(sut('join:n9@60,leave:n3@120,crash:n4@200.5')).toEqual([
      { action: 'join', node: 'n9', atSeconds: 60 },
      { action: 'leave', node: 'n3', atSeconds: 120 },
      { action: 'crash', node: 'n4', atSeconds: 200.5 },
    ]);
  });

  it('churn spec - tolerates spaces around the spec and its entries', () => {
    expect(sut('  join:a.b-c_1@0 , crash:x@7 ')).toEqual([
      { action: 'join', node: 'a.b-c_1', atSeconds: 0 },
      { action: 'crash', node: 'x', atSeconds: 7 },
    ]);
  });

  it('churn spec - reads an empty or blank spec as no churn', () => {
    expect(sut('')).toEqual([]);
    expect(sut('   ')).toEqual([]);
  });

  it.each([
    ['garbage', 1],
    ['join:n9@60,explode:n3@10', 2],
    ['join:n9@60,leave:n3@10,crash:n4', 3],
    ['join:n9', 1],
    ['join:@60', 1],
    ['join:n9@-5', 1],
    ['join:n9@abc', 1],
    ['join:n9@60,', 2],
    ['leave n3@10', 1],
  ])('churn spec - rejects "%s" naming entry %d and the expected form', (spec, entry) => {
    let caught: unknown;
    try {
      sut(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChurnSpecError);
    const message = (caught as ChurnSpecError).message;
    expect(message).toContain(`entry ${entry} `);
    expect(message).toContain(FORM);
    expect((caught as ChurnSpecError).name).toBe('ChurnSpecError');
  });
});

describe(churnProblem.name, () => {
  const sut = churnProblem;
  const initial = ['n1', 'n2', 'n3'];
  const at = (action: ChurnEvent['action'], node: string, atSeconds: number): ChurnEvent => ({
    action,
    node,
    atSeconds,
  });

  it('churn problem - accepts a valid history of joins, leaves, crashes and rejoins', () => {
    const events = [
      at('join', 'n9', 10),
      at('leave', 'n2', 20),
      at('crash', 'n9', 30),
      at('join', 'n2', 40),
      at('join', 'n9', 50),
    ];
    expect(sut(events, initial)).toBeNull();
  });

  it('churn problem - accepts no churn', () => {
    expect(sut([], initial)).toBeNull();
  });

  it('churn problem - rejects a join of a node that is already a member', () => {
    expect(sut([at('join', 'n2', 10)], initial)).toBe(
      'join:n2@10: n2 is already a member at that time',
    );
  });

  it('churn problem - rejects a leave of a node that is not a member', () => {
    expect(sut([at('leave', 'n99', 10)], initial)).toBe(
      'leave:n99@10: n99 is not a member at that time',
    );
  });

  it('churn problem - rejects a crash of a node that already left', () => {
    expect(sut([at('leave', 'n1', 10), at('crash', 'n1', 20)], initial)).toBe(
      'crash:n1@20: n1 is not a member at that time',
    );
  });

  it('churn problem - judges events in time order, not list order', () => {
    expect(sut([at('join', 'n1', 20), at('leave', 'n1', 10)], initial)).toBeNull();
    expect(sut([at('leave', 'n9', 20), at('join', 'n9', 10)], initial)).toBeNull();
  });
});

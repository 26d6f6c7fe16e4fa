import { ScopeBook } from './scope-book.js';

describe(ScopeBook.name, () => {
  it('scope - every pair while there are no intents and discovery is off', () => {
    const sut = new ScopeBook('n1', false);
    expect(sut.scope()).toEqual({ mode: 'all' });
  });

  it('scope - any hand-made intent switches to intents; only this node as monitor counts', () => {
    const sut = new ScopeBook('n1', false);
    sut.setManual([
      ['n2', 'n3'],
      ['n1', 'n3'],
    ]);
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [['n1', 'n3']] });
  });

  it('scope - discovery on: nothing in scope until a flow is seen, then self -> peer', () => {
    const sut = new ScopeBook('n1', true);
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [] });
    sut.addDiscovered('n4');
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [['n1', 'n4']] });
    sut.removeDiscovered('n4');
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [] });
  });

  it('scope - a pair both hand-made and discovered is listed once, and stays after discovery drops it', () => {
    const sut = new ScopeBook('n1', true);
    sut.setManual([['n1', 'n2']]);
    sut.addDiscovered('n2');
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [['n1', 'n2']] });
    sut.removeDiscovered('n2');
    expect(sut.scope()).toEqual({ mode: 'pairs', pairs: [['n1', 'n2']] });
  });
});

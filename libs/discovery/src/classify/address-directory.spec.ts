import { AddressDirectory } from './address-directory.js';

describe(AddressDirectory.name, () => {
  let sut: AddressDirectory;

  beforeEach(() => {
    sut = new AddressDirectory('a');
  });

  it('maps every canonical address of a node to it', () => {
    sut.update('b', ['10.0.0.2', 'FD00:0:0:0:0:0:0:2', '::ffff:10.0.0.22', 'not-an-ip'], 0, 6000);

    expect(sut.snapshot(1000)).toEqual(
      new Map([
        ['10.0.0.2', 'b'],
        ['fd00::2', 'b'],
        ['10.0.0.22', 'b'],
      ]),
    );
  });

  it('replaces a node address set with its latest map', () => {
    sut.update('b', ['10.0.0.2'], 0, 6000);
    sut.update('b', ['10.0.0.12'], 2000, 6000);

    expect([...sut.snapshot(2000).keys()]).toEqual(['10.0.0.12']);
  });

  it('forgets a node after its time to live', () => {
    sut.update('b', ['10.0.0.2'], 0, 6000);
    sut.update('c', ['10.0.0.3'], 4000, 6000);

    expect(sut.nodes(5999)).toEqual(['b', 'c']);
    expect(sut.prune(6000)).toEqual(['b']);
    expect(sut.snapshot(6000)).toEqual(new Map([['10.0.0.3', 'c']]));
  });

  it('maps an address two live nodes claim to neither', () => {
    sut.update('b', ['10.0.0.2', '192.0.2.9'], 0, 6000);
    sut.update('c', ['10.0.0.3', '192.0.2.9'], 0, 6000);

    expect(sut.snapshot(0).has('192.0.2.9')).toBe(false);
    expect(sut.snapshot(0).get('10.0.0.3')).toBe('c');
  });

  it("refuses this node's own map", () => {
    expect(sut.update('a', ['10.0.0.1'], 0, 6000)).toBe(false);
    expect(sut.nodes(0)).toEqual([]);
  });
});

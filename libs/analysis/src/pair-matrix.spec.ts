import { meanMatrix, median, valuesOfNode } from './pair-matrix.js';

describe(meanMatrix.name, () => {
  it('pair matrix - averages the values of each pair, keyed monitor first', () => {
    const sut = meanMatrix([
      { monitor: 'n1', sensor: 'n2', value: 100 },
      { monitor: 'n1', sensor: 'n2', value: 300 },
      { monitor: 'n2', sensor: 'n1', value: 50 },
      { monitor: 'n1', sensor: 'n3', value: 7 },
    ]);

    expect(sut).toEqual({ n1: { n2: 200, n3: 7 }, n2: { n1: 50 } });
  });

  it('pair matrix - skips values that are not finite numbers', () => {
    const sut = meanMatrix([
      { monitor: 'n1', sensor: 'n2', value: 10 },
      { monitor: 'n1', sensor: 'n2', value: Number.NaN },
      { monitor: 'n1', sensor: 'n2', value: Number.POSITIVE_INFINITY },
      { monitor: 'n2', sensor: 'n1', value: Number.NaN },
    ]);

    expect(sut).toEqual({ n1: { n2: 10 } });
  });

  it('pair matrix - is empty without samples', () => {
    expect(meanMatrix([])).toEqual({});
  });
});

describe(valuesOfNode.name, () => {
  it('pair matrix - a node`s values are those of its pairs as monitor and as sensor', () => {
    const matrix = { n1: { n2: 1, n3: 2 }, n2: { n1: 3, n3: 4 }, n3: { n1: 5 } };

    expect(valuesOfNode(matrix, 'n1').sort()).toEqual([1, 2, 3, 5]);
    expect(valuesOfNode(matrix, 'n2').sort()).toEqual([1, 3, 4]);
    expect(valuesOfNode(matrix, 'n9')).toEqual([]);
  });
});

describe(median.name, () => {
  it('median - the middle value of an odd count, in any order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('median - the mean of the two middle values of an even count', () => {
    expect(median([10, 2, 4, 8])).toBe(6);
  });

  it('median - sorts numerically, not as text', () => {
    expect(median([100, 9, 20])).toBe(20);
  });

  it('median - null for no values', () => {
    expect(median([])).toBeNull();
  });

  it('median - leaves its input in place', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

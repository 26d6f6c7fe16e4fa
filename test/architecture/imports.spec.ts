import { fileURLToPath } from 'node:url';
import {
  computedImports,
  importCycles,
  importsOf,
  sourceFiles,
  type ImportEdge,
} from './import-graph.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const files = sourceFiles(root, ['apps', 'libs', 'scripts', 'test']);
const edges = files.flatMap((file) => importsOf(root, file));
const describeEdge = ({ from, specifier }: ImportEdge) => `${from} imports ${specifier}`;

describe('the import graph', () => {
  it('import graph - reads the whole tree', () => {
    // A broken walk or resolver would make the checks below pass on nothing.
    expect(files.length).toBeGreaterThan(400);
    expect(edges.length).toBeGreaterThan(1000);
    expect(edges).toContainEqual(
      expect.objectContaining({ from: 'apps/meshmon/src/main.ts', to: 'apps/gateway/src/main.ts' }),
    );
  });

  it('import graph - no libs/ file imports apps/, statically or with import()', () => {
    const upward = edges.filter(
      (edge) => edge.from.startsWith('libs/') && edge.to.startsWith('apps/'),
    );

    expect(upward.map(describeEdge)).toEqual([]);
  });

  it('import graph - apps/ and libs/ never load test/ or scripts/ code', () => {
    const product = edges.filter(
      (edge) =>
        (edge.from.startsWith('apps/') || edge.from.startsWith('libs/')) &&
        (edge.to.startsWith('test/') || edge.to.startsWith('scripts/')),
    );

    expect(product.map(describeEdge)).toEqual([]);
  });

  it('import graph - a service imports no other app: what two share is a lib, a test of two lives in test/', () => {
    const appOf = (path: string) => /^apps\/([^/]+)\//.exec(path)?.[1];
    const across = edges.filter((edge) => {
      const [from, to] = [appOf(edge.from), appOf(edge.to)];
      // The image's entrypoint dispatches to each service's main: its one job.
      return from !== undefined && to !== undefined && from !== to && from !== 'meshmon';
    });

    expect(across.map(describeEdge)).toEqual([]);
  });

  it('import graph - apps/ and libs/ load nothing through import() with a computed path', () => {
    const product = files.filter((file) => file.startsWith('apps/') || file.startsWith('libs/'));

    expect(product.flatMap((file) => computedImports(root, file))).toEqual([]);
  });

  it('import graph - no import cycle, type-only imports included', () => {
    expect(importCycles(edges).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('import graph - the cycle finder finds a cycle, through a re-export and a type import alike', () => {
    const cycle: ImportEdge[] = [
      { from: 'a.ts', to: 'b.ts', specifier: './b.js' },
      { from: 'b.ts', to: 'c.ts', specifier: './c.js' },
      { from: 'c.ts', to: 'a.ts', specifier: './a.js' },
      { from: 'c.ts', to: 'd.ts', specifier: './d.js' },
      { from: 'e.ts', to: 'e.ts', specifier: './e.js' },
    ];

    expect(importCycles(cycle)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['e.ts', 'e.ts'],
    ]);
  });
});

// Jest runs in native ESM mode (package.json "type": "module", NestJS 12 is ESM-only),
// so every script that calls jest sets NODE_OPTIONS=--experimental-vm-modules.

/** @type {import('ts-jest').TsJestTransformerOptions} */
const tsJestOptions = {
  useESM: true,
  // tsconfig.spec.json sets isolatedModules: true, so ts-jest transpiles file by file
  // (no type-check per test file); `npm run typecheck` does the type checking.
  tsconfig: '<rootDir>/tsconfig.spec.json',
};

/** @type {import('jest').Config} */
const shared = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', tsJestOptions],
  },
  moduleNameMapper: {
    '^@meshmon/scheduling$': '<rootDir>/libs/scheduling/src/index.ts',
    '^@meshmon/scheduling/(.*)\\.js$': '<rootDir>/libs/scheduling/src/$1',
    '^@meshmon/scheduling/(.*)$': '<rootDir>/libs/scheduling/src/$1',
    '^@meshmon/service-runtime/(.*)\\.js$': '<rootDir>/libs/service-runtime/src/$1',
    '^@meshmon/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/test/setup-reflect-metadata.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.lab/'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/.lab/'],
};

/** @type {import('jest').Config} */
export default {
  // 2-core machines: one worker per core.
  maxWorkers: 2,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,scripts,test}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      testTimeout: 60_000,
    },
  ],
};

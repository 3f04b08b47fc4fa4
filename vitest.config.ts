import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests import workspace packages by name; resolve them to source so no build is needed to test.
const pkg = (dir: string) => fileURLToPath(new URL(`./packages/${dir}/src/index.ts`, import.meta.url));
const alias = {
  '@meshspec/core/duration': fileURLToPath(new URL('./packages/core/src/duration.ts', import.meta.url)),
  '@meshspec/core/plugin': fileURLToPath(new URL('./packages/core/src/plugin-sdk.ts', import.meta.url)),
  '@meshspec/core/testing': fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)),
  '@meshspec/core': pkg('core'),
  '@meshspec/plugin-kind': pkg('plugin-kind'),
  '@meshspec/plugin-kwok': pkg('plugin-kwok'),
  '@meshspec/plugin-metallb': pkg('plugin-metallb'),
  '@meshspec/plugin-linkerd': pkg('plugin-linkerd'),
  '@meshspec/plugin-smi': pkg('plugin-smi'),
  '@meshspec/plugin-ingress': pkg('plugin-ingress'),
  '@meshspec/plugin-workloads': pkg('plugin-workloads'),
};

// Compiled topology validators are cached on disk (core/src/schema/validator-cache.ts); keep tests' many
// schemas out of the developer's ~/.cache/meshspec. Shared across runs, so cache hits are exercised too.
const env = { MESHSPEC_CACHE_DIR: process.env.MESHSPEC_CACHE_DIR ?? join(tmpdir(), 'meshspec-test-cache') };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          env,
          include: [
            'packages/*/src/**/*.test.ts',
            'examples/**/*.test.ts',
            'test/orchestration/**/*.test.ts',
            'test/conformance/**/*.test.ts',
            'test/fake-toolchain/**/*.test.ts',
          ],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          // Type-level tests (*.test-d.ts, expectTypeOf): the section types derived from plugin schemas.
          typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.typecheck.json' },
        },
      },
      {
        // The plan picture drawn by the real tools: headless Chromium (html) and Graphviz (dot); missing ones fail with the fix.
        resolve: { alias },
        test: {
          name: 'picture',
          env,
          include: ['test/picture/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          env,
          include: ['packages/*/src/**/*.integration.test.ts', 'test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests import workspace packages by name; resolve them to source so no build is needed to test.
const pkg = (dir: string) => fileURLToPath(new URL(`./packages/${dir}/src/index.ts`, import.meta.url));
const alias = {
  '@meshspec/core/testing': fileURLToPath(new URL('./packages/core/src/testing/index.ts', import.meta.url)),
  '@meshspec/core': pkg('core'),
  '@meshspec/plugin-kind': pkg('plugin-kind'),
  '@meshspec/plugin-metallb': pkg('plugin-metallb'),
  '@meshspec/plugin-linkerd': pkg('plugin-linkerd'),
  '@meshspec/plugin-smi': pkg('plugin-smi'),
  '@meshspec/plugin-ingress': pkg('plugin-ingress'),
  '@meshspec/plugin-workloads': pkg('plugin-workloads'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'test/orchestration/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
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

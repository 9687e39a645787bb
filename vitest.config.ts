import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One runner for every workspace: tests live beside the concern they test
// (packages/*/test, services/*/test) plus cross-package tests in tests/.
export default defineConfig({
  // In the repository the SDK is used from its source (tsconfig.json's `paths` does the same for tsc
  // and tsx); its package.json exports the built dist/ that `npm pack` ships.
  resolve: {
    alias: [{ find: /^@modelplan\/sdk$/, replacement: fileURLToPath(new URL("./packages/sdk/src/index.ts", import.meta.url)) }],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});

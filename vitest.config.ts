import { defineConfig } from "vitest/config";

// One runner for every workspace: tests live beside the concern they test
// (packages/*/test, services/*/test) plus cross-package tests in tests/.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "services/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});

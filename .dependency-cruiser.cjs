// The import rules of modelplan, checked by dependency-cruiser (`npm run boundaries`; in `npm test`
// through tests/boundaries.test.ts). Imports flow services -> packages -> nothing; the domain
// packages do no I/O; the data layer knows no routes. docs/architecture.md explains each rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "package-imports-service",
      comment: "Packages are libraries the services build on: a package never imports a service.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^services/" },
    },
    {
      name: "domain-imports-node",
      comment: "estimator and planner are pure: no node: modules (no files, network, processes or clocks of the OS).",
      severity: "error",
      from: { path: "^packages/(estimator|planner)/src/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "estimator-imports-outside",
      comment: "The estimator imports only itself (its data files included): no I/O library can reach it.",
      severity: "error",
      from: { path: "^packages/estimator/src/" },
      to: { pathNot: "^packages/estimator/" },
    },
    {
      name: "planner-imports-outside",
      comment: "The planner imports itself, the estimator and echarts (server-side SVG rendering, pure): nothing that does I/O.",
      severity: "error",
      from: { path: "^packages/planner/src/" },
      to: { pathNot: "^(packages/(planner|estimator)/|node_modules/(echarts|zrender|tslib)/)" },
    },
    {
      name: "data-layer-imports-routes",
      comment: "The data layer (@modelplan/db) holds tables, migrations and seed data; it imports no route, schema of the API or service code.",
      severity: "error",
      from: { path: "^packages/db/" },
      to: { path: "^(services/|packages/(estimator|planner|bench|sdk)/)" },
    },
    {
      name: "app-layer-imports-routes",
      comment: "The generic app (lib/, middleware/, auth/) knows no route: routes plug into it, not the other way round.",
      severity: "error",
      from: { path: "^services/api/src/(lib|middleware|auth)/" },
      to: { path: "^services/api/src/routes/" },
    },
    {
      name: "no-circular",
      comment: "No import cycles in the service or the packages (type-only imports included).",
      severity: "error",
      from: { path: "^(packages|services)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/|\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".json", ".d.ts"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

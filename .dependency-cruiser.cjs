/**
 * The directions of dependency from ARCHITECTURE.md, enforced in CI (`npm run lint`).
 * A rule here is a rule nobody has to remember.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'The shared kernel depends on no module, zone, web or cli code.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(modules|zones|web|cli)/' },
    },
    {
      name: 'module-through-index-only',
      comment: "A module imports another module only through that module's index.ts.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/.+', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'core-through-index-only',
      comment: 'Modules, zones, web and cli reach core through src/core/index.ts.',
      severity: 'error',
      from: { path: '^src/(modules|zones|web|cli)/' },
      to: { path: '^src/core/.+', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'modules-never-import-zones',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(zones|web|cli)/' },
    },
    {
      name: 'modules-through-index-from-outside',
      comment: "Zones, web and cli reach a module only through that module's index.ts.",
      severity: 'error',
      from: { path: '^src/(zones|web|cli)/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'web-below-zones',
      comment: 'Zones mount web pages (src/web/index.ts); web never reaches back into zones or cli.',
      severity: 'error',
      from: { path: '^src/web/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src/(zones|cli)/' },
    },
    {
      name: 'zones-only-through-index',
      comment: "A zone's composition is reached through src/zones/index.ts (or the gateway's index).",
      severity: 'error',
      from: { path: '^src/(cli|web)/' },
      to: { path: '^src/zones/.+', pathNot: ['^src/zones/index\\.ts$', '^src/zones/gateway/index\\.ts$'] },
    },
    {
      name: 'zone-to-zone-only-through-gateway',
      comment: 'One zone never imports another zone; they talk through the gateway.',
      severity: 'error',
      from: { path: '^src/zones/(internet|lgwan|mynumber)/' },
      to: { path: '^src/zones/(internet|lgwan|mynumber)/', pathNot: '^src/zones/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/|\\.test\\.ts$)' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      // Tests and their helpers beside the code (test-*.ts) may use the test runner.
      from: { path: '^src/', pathNot: '(\\.test|/test-[^/]+)\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], pathNot: 'node_modules/@types/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

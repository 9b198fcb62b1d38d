// The boundaries of kubedojo's modules, checked by `npm run lint:deps` (part of `npm test`).
//
// The families, as path sets:
//   doors      src/cli.ts, src/cli/, src/tui/, adapters/    how people reach the core
//   facade     src/core/index.ts                           the doors' only way in
//   engine     src/core/{learning,lessons,quiz,progress,kube,scenarios}/   teaching and grading, through the Kubernetes API
//   simulator  src/core/{cluster,apiserver}/                the simulated cluster and the server that speaks its API
//   hosting    src/core/hosting/                           starts servers and clusters and hands them to the engine
//   shared     src/core/{problems,paths,own}.ts            errors, data paths, prototype-safe JSON walks
// bench/ and test/ are not checked: they may import anything.
const DOORS = '^(src/cli\\.ts|src/cli/|src/tui/|adapters/)';
const ENGINE = '^src/core/(learning|lessons|quiz|progress|kube|scenarios)/';
const SIMULATOR = '^src/core/(cluster|apiserver)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'doors-through-facade',
      comment: 'A door (CLI, TUI, Slack) imports the core through src/core/index.ts only, so the core can change behind it.',
      severity: 'error',
      from: { path: DOORS },
      to: { path: '^src/core/', pathNot: '^src/core/index\\.ts$' },
    },
    {
      name: 'engine-not-simulator',
      comment:
        'The learner engine grades through the Kubernetes API, so it grades a real cluster as it grades the simulated one: it never imports the simulator or the API server.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: SIMULATOR },
    },
    {
      name: 'engine-hosting-types-only',
      comment: 'The engine is handed its clusters by hosting (or a door) and names their types; it never starts one itself.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: '^src/core/hosting/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'simulator-knows-no-learner',
      comment: 'The simulated cluster is a cluster and nothing more: it imports neither the engine nor hosting.',
      severity: 'error',
      from: { path: SIMULATOR },
      to: { path: '^src/core/(learning|lessons|quiz|progress|kube|scenarios|hosting)/' },
    },
    {
      name: 'core-knows-no-door',
      comment: 'Nothing under src/core imports a door or a UI library (Ink, React, Bolt, node-pty, xterm).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: [DOORS, 'node_modules/(ink|ink-[^/]+|react|react-dom|@slack/[^/]+|node-pty|@xterm/[^/]+)/'] },
    },
    {
      name: 'no-cycle',
      comment: 'No module imports itself through others, type-only imports included: a cycle is two modules that cannot be understood apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: they bind modules together as much as any.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'],
      // As Node resolves an ESM import, so packages with an exports map (ink, bolt) resolve too.
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
    },
  },
};

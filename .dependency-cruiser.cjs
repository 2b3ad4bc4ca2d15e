/**
 * The layers of core/src, bottom to top: a layer imports only from layers below it (and itself).
 *   (@atrium/protocol) → kernel → store → engine → realtime → http → platform
 * @atrium/protocol (protocol/, shared with the shell) is below them all and imports nothing.
 * `npm run lint` runs this check; docs/architecture.md draws it.
 */
const layers = ['kernel', 'store', 'engine', 'realtime', 'http', 'platform'];

const upward = layers.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-up`,
  comment: `${layer}/ may import only from ${layers.slice(0, i + 1).join(', ')}`,
  severity: 'error',
  from: { path: `^core/src/${layer}/` },
  to: { path: `^core/src/(${layers.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycles',
      comment: 'no import cycles in core',
      severity: 'error',
      from: { path: '^core/src/' },
      to: { circular: true },
    },
    {
      name: 'core-stays-in-its-package',
      comment: '@atrium/core reaches nothing outside core/ but its dependencies (@atrium/protocol among them)',
      severity: 'error',
      from: { path: '^core/src/' },
      to: { path: '^(?!core/|protocol/|node_modules/)', pathNot: '^(node:|[a-z@])' },
    },
    {
      name: 'protocol-imports-nothing',
      comment: '@atrium/protocol is the bottom layer, shared with the shell: it imports only itself',
      severity: 'error',
      from: { path: '^protocol/' },
      to: { path: '^(?!protocol/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

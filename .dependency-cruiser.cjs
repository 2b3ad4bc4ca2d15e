/**
 * The layers of core/src, bottom to top: a layer imports only from layers below it (and itself).
 *   kernel → store → engine → realtime → http → platform
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
      comment: '@atrium/core reaches nothing outside core/ but its dependencies',
      severity: 'error',
      from: { path: '^core/src/' },
      to: { path: '^(?!core/|node_modules/)', pathNot: '^(node:|[a-z@])' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};

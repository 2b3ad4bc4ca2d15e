import adapter from '@sveltejs/adapter-static';

/** A single-page app: every route falls back to index.html, which the core serves for deep links. */
export default {
  compilerOptions: {
    // autofocus is asked for only where typing starts at once: quick create, dialogs, inline "add" forms.
    warningFilter: (warning) => warning.code !== 'a11y_autofocus',
  },
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
    alias: { $views: 'src/views', $fields: 'src/fields', $components: 'src/components' },
  },
};

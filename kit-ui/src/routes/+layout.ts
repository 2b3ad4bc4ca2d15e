// A single-page app served by the core: rendered in the browser only, never prerendered.
export const ssr = false;
export const prerender = false;

import { existsSync } from 'node:fs';

/** Where chromium is usually found (Debian's package first, then other distributions'). */
const USUAL_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/snap/bin/chromium'];

/**
 * The chromium the browser tests drive: ATRIUM_CHROMIUM when set (and only it: a wrong path means no
 * browser, not a search elsewhere), else the first of the usual paths that exists; undefined when none does.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.ATRIUM_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : undefined;
  return USUAL_PATHS.find((path) => existsSync(path));
}

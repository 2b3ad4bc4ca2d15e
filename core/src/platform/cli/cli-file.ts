import { resolve } from 'node:path';
import { StartupError } from '../../kernel/errors.ts';

/**
 * The FILE argument of `npm run <command> -- FILE`, relative to where the user typed it (npm runs scripts
 * from the project's folder and says where it was called from in INIT_CWD).
 */
export function cliFile(command: string, options = ''): string {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!file) throw new StartupError([`usage: npm run ${command} -- FILE${options ? ` ${options}` : ''}`]);
  return resolve(process.env.INIT_CWD ?? process.cwd(), file);
}

import { setFlagsFromString } from 'node:v8';

/**
 * V8's allocation-site pretenuring off, for the server process. When the objects of an allocation site
 * survive young collections at a high rate, V8 allocates that site's later objects straight in the old
 * generation. A server meets that rate at start-up (migrating a fresh database kept pg's results alive),
 * and then pg's `rows` array of every later result was born old: each row put in it survived every
 * young collection until a full one, and the list's scavenges paused 3–10 ms instead of about 1
 * (docs/decisions.md §45). A server's per-request objects die young; nothing here gains from the
 * guess. Set before anything else is allocated; it only changes where new objects are placed.
 */
export function tuneCollector(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

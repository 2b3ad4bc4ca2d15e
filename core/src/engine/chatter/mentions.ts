/** `@[Sam Lee](user:UUID)`: how a body mentions a user of the tenant (the shell's autocomplete writes it). */
const MENTION = /@\[([^\]\n]{1,200})\]\(user:([0-9a-fA-F-]{36})\)/g;

/** The ids of the users a body mentions, each once, in order of first mention. */
export function mentionedUserIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((match) => match[2].toLowerCase()))];
}

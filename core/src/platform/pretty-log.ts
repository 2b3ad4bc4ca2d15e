/**
 * The development log on a terminal: pino's JSON lines, rewritten as one readable line per request
 * (`12:04:31 POST /api/records/crm.lead 201 12 ms`) and one per other message. fastify logs a request
 * twice (received, completed): the first is held back until the second, so each request is one line.
 * Production (stdout not a terminal) keeps the JSON lines; see ATRIUM_LOG_FORMAT in docs/api.md.
 */
interface LogLine {
  level: number;
  time: number;
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { stack?: string; message?: string };
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

const clock = (time: number): string => new Date(time).toTimeString().slice(0, 8);

export function prettyLogStream(out: { write(text: string): unknown } = process.stdout): { write(line: string): void } {
  const received = new Map<string, string>();
  return {
    write(line: string) {
      let entry: LogLine;
      try {
        entry = JSON.parse(line) as LogLine;
      } catch {
        out.write(line);
        return;
      }
      if (entry.msg === 'incoming request' && entry.reqId && entry.req) {
        // A websocket upgrade never completes: keep the map bounded.
        if (received.size >= 1000) received.delete(received.keys().next().value!);
        received.set(entry.reqId, `${entry.req.method} ${entry.req.url}`);
        return;
      }
      const level = entry.level >= 40 ? `${LEVELS[entry.level] ?? entry.level} ` : '';
      if (entry.msg === 'request completed' && entry.reqId) {
        const request = received.get(entry.reqId) ?? entry.reqId;
        received.delete(entry.reqId);
        out.write(`${clock(entry.time)} ${level}${request} ${entry.res?.statusCode ?? ''} ${Math.round(entry.responseTime ?? 0)} ms\n`);
        return;
      }
      const stack = entry.err?.stack ? `\n  ${entry.err.stack.replaceAll('\n', '\n  ')}` : '';
      out.write(`${clock(entry.time)} ${level}${entry.msg ?? ''}${stack}\n`);
    },
  };
}

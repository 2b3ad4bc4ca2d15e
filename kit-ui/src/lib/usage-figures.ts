import type { UsageReport } from '@atrium/protocol';

/** Every day of the period, oldest first, with its writes (0 for a day without any). */
export function dailySeries(report: UsageReport): { days: string[]; writes: number[] } {
  const byDay = new Map(report.daily.map((d) => [d.day, d.writes]));
  const end = new Date(report.period.to);
  const days: string[] = [];
  for (let i = report.period.days - 1; i >= 0; i--) {
    const day = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() - i));
    days.push(day.toISOString().slice(0, 10));
  }
  return { days, writes: days.map((d) => byDay.get(d) ?? 0) };
}

/** A size in bytes as people read it: "12.3 MB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

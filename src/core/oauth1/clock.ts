/**
 * Clock skew between this machine and a Jira server. Jira refuses OAuth timestamps that are more
 * than a few minutes away from its own clock (oauth_problem=timestamp_refused). The offset learned
 * from such a refusal is remembered per base URL for the life of the process, so the dance
 * (requestToken/accessToken) and every client for that server share it.
 */
import { normalizeBaseUrl } from '../url';

/** A mutable holder shared by everything that talks to one base URL. */
export interface ClockOffset {
  /** Seconds to add to the local clock to get the server's clock. */
  seconds: number;
}

const offsets = new Map<string, ClockOffset>();

/** The shared offset holder for a (normalized) base URL. */
export function clockFor(baseUrl: string): ClockOffset {
  let o = offsets.get(baseUrl);
  if (!o) {
    o = { seconds: 0 };
    offsets.set(baseUrl, o);
  }
  return o;
}

/** Current Unix time in seconds as the server sees it. */
export function serverNow(offset: ClockOffset | undefined, nowMs: number = Date.now()): number {
  return Math.floor(nowMs / 1000) + (offset ? offset.seconds : 0);
}

/**
 * The offset (server minus local, in whole seconds) implied by a timestamp_refused response:
 * the midpoint of `oauth_acceptable_timestamps` (`min-max`) when sent, else the HTTP `Date` header.
 * Returns undefined when neither is usable.
 */
export function offsetFromRefusal(
  acceptableTimestamps: string | undefined,
  dateHeader: string | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const nowSec = nowMs / 1000;
  if (acceptableTimestamps) {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(acceptableTimestamps);
    if (m) {
      const mid = (Number(m[1]) + Number(m[2])) / 2;
      return Math.round(mid - nowSec);
    }
  }
  if (dateHeader) {
    const t = Date.parse(dateHeader);
    if (!Number.isNaN(t)) {
      // The Date header has a one-second resolution: round towards the middle of that second.
      return Math.round((t + 500) / 1000 - nowSec);
    }
  }
  return undefined;
}

/** The learned offset (seconds, server minus local) for a base URL; 0 when none was learned. */
export function getClockOffset(baseUrl: string): number {
  return offsets.get(normalizeBaseUrl(baseUrl))?.seconds ?? 0;
}

/** Forget every learned offset (tests; or after the user fixed the clock). */
export function resetClockOffsets(): void {
  for (const o of offsets.values()) o.seconds = 0;
}

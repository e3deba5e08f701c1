/** What the DNS probe's log gave for each name: every answered lookup's time, and the lookups without an answer. */
export interface DnsOutcome {
  /** Query times in ms of lookups answered `NOERROR`, by name, in the order made. */
  times: Record<string, number[]>;
  /** Lookups of each name that got no `NOERROR` answer (refused, NXDOMAIN, timed out). */
  failures: Record<string, number>;
}

/**
 * Reads the DNS probe's log: for each lookup, a `== <name>` line and then
 * `dig`'s own output. A lookup counts when dig printed its header with
 * `status: NOERROR` and a `;; Query time: N msec` line; anything else (a
 * `REFUSED` or `NXDOMAIN` status, "no servers could be reached", no output
 * at all) is a failure of that name.
 */
export function parseDigLog(log: string): DnsOutcome {
  const times: Record<string, number[]> = {};
  const failures: Record<string, number> = {};
  const blocks = log.split(/^== /m).slice(1);
  for (const block of blocks) {
    const name = block.slice(0, block.indexOf("\n") < 0 ? undefined : block.indexOf("\n")).trim();
    if (name === "") continue;
    times[name] = times[name] || [];
    failures[name] = failures[name] || 0;
    const status = /->>HEADER<<-.*status: ([A-Z]+)/.exec(block);
    const time = /^;; Query time: (\d+) msec/m.exec(block);
    if (status && status[1] === "NOERROR" && time) times[name].push(Number(time[1]));
    else failures[name] += 1;
  }
  return { times, failures };
}

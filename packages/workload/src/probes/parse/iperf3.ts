/** What one iperf3 client run gave: every interval's throughput, or why there is none. */
export type Iperf3Outcome =
  | { ok: true; samples: number[]; receivedMbits: number }
  | { ok: false; reason: string };

interface Iperf3Json {
  error?: string;
  intervals?: { sum?: { bits_per_second?: number; omitted?: boolean } }[];
  end?: { sum_received?: { bits_per_second?: number } };
}

const mbits = (bitsPerSecond: number) => Math.round(bitsPerSecond / 1e4) / 100;

/**
 * Reads `iperf3 -c … -J` output (iperf3's own JSON: `intervals[].sum`, one
 * per second, and `end.sum_received`): the samples are each interval's
 * throughput in Mbit/s, omitted intervals left out. iperf3 reports a
 * failure in the same JSON (`error`); output that is not iperf3's JSON
 * (the client never ran, a log line from the shell) is a failure too.
 */
export function parseIperf3(output: string): Iperf3Outcome {
  const start = output.indexOf("{");
  let json: Iperf3Json;
  try {
    json = JSON.parse(output.slice(start, output.lastIndexOf("}") + 1)) as Iperf3Json;
  } catch {
    const text = output.trim().split("\n").slice(-1)[0] ?? "";
    return {
      ok: false,
      reason: `no iperf3 JSON in the client's output${text ? `: ${text.slice(0, 200)}` : ""}`,
    };
  }
  if (start < 0) return { ok: false, reason: "no iperf3 JSON in the client's output" };
  if (json.error) return { ok: false, reason: `iperf3: ${json.error}` };
  const samples = (json.intervals ?? [])
    .filter((i) => i.sum && !i.sum.omitted && typeof i.sum.bits_per_second === "number")
    .map((i) => mbits(i.sum?.bits_per_second ?? 0));
  const received = json.end?.sum_received?.bits_per_second;
  if (samples.length === 0 || typeof received !== "number")
    return { ok: false, reason: "iperf3 reported no interval" };
  return { ok: true, samples, receivedMbits: mbits(received) };
}

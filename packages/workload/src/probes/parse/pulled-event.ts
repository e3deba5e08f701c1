/** What one kubelet `Pulled` event says about a pull. */
export interface PullTiming {
  /** The image as the kubelet named it. */
  image: string;
  /** Seconds the runtime took to pull it. */
  pullSeconds: number;
  /** Seconds since the kubelet asked, including waiting for other pulls. */
  totalSeconds: number;
  /** The image's size in bytes, where the kubelet says it (1.30 and later). */
  bytes?: number;
}

const UNITS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  µs: 1e-6,
  μs: 1e-6,
  us: 1e-6,
  ns: 1e-9,
};

/**
 * Seconds in a Go `time.Duration` as `String()` prints it (`1m2.345s`,
 * `845ms`, `0s`); undefined for anything else.
 */
export function goDurationSeconds(text: string): number | undefined {
  if (text === "0s") return 0;
  const parts = /^((?:\d+(?:\.\d+)?(?:h|m|s|ms|µs|μs|us|ns))+)$/.exec(text);
  if (!parts) return undefined;
  let seconds = 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|µs|μs|us|ns)/g;
  for (let m = re.exec(text); m; m = re.exec(text))
    seconds += Number(m[1]) * (UNITS[m[2] ?? ""] ?? 0);
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Reads the message of a kubelet `Pulled` event for a pull it made:
 * `Successfully pulled image "<image>" in <pull> (<total> including waiting)`,
 * since 1.30 followed by `. Image size: <n> bytes.` (kubernetes/kubernetes
 * `pkg/kubelet/images/image_manager.go`, Go durations truncated to ms).
 * Undefined for the other `Pulled` message, "Container image … already
 * present on machine", which times nothing.
 */
export function parsePulledMessage(message: string): PullTiming | undefined {
  const m =
    /^Successfully pulled image "([^"]+)" in (\S+) \((\S+) including waiting\)(?:\. Image size: (\d+) bytes\.)?$/.exec(
      message.trim(),
    );
  if (!m) return undefined;
  const [, image = "", pullText = "", totalText = "", size] = m;
  const pull = goDurationSeconds(pullText);
  const total = goDurationSeconds(totalText);
  if (pull === undefined || total === undefined) return undefined;
  return {
    image,
    pullSeconds: pull,
    totalSeconds: total,
    ...(size !== undefined && { bytes: Number(size) }),
  };
}

/** What the host-posture pod printed about its node. */
export interface Posture {
  node: string;
  rootWritable: boolean | null;
  usrWritable: boolean | null;
  selinux: string;
  apparmor: string;
  lockdown: string;
  cgroupVersion: number;
  cmdline: string;
  sshd: boolean;
}

/**
 * The posture pod's one JSON line (`POSTURE_SCRIPT`), checked field by
 * field; a reason when its log holds no such line or a field is missing or
 * of the wrong type.
 */
export function parsePostureLine(
  log: string,
): { ok: true; posture: Posture } | { ok: false; reason: string } {
  const line = log
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("{") && l.endsWith("}"))
    .pop();
  if (line === undefined)
    return {
      ok: false,
      reason: `no posture line in the pod's log${log.trim() ? `: ${log.trim().slice(0, 200)}` : ""}`,
    };
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(line) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, reason: `the posture line is not JSON: ${(e as Error).message}` };
  }
  const flag = (k: string) => v[k] === true || v[k] === false || v[k] === null;
  const text = (k: string) => typeof v[k] === "string";
  const bad = [
    ...["node", "selinux", "apparmor", "lockdown", "cmdline"].filter((k) => !text(k)),
    ...["rootWritable", "usrWritable"].filter((k) => !flag(k)),
    ...(v.sshd === true || v.sshd === false ? [] : ["sshd"]),
    ...(v.cgroupVersion === 1 || v.cgroupVersion === 2 ? [] : ["cgroupVersion"]),
  ];
  if (bad.length > 0)
    return { ok: false, reason: `the posture line lacks or mistypes ${bad.join(", ")}` };
  return { ok: true, posture: v as unknown as Posture };
}

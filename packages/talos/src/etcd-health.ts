import * as grpc from "@grpc/grpc-js";
import { unary } from "./machine-api.js";

interface EtcdMember {
  id?: string;
  hostname?: string;
  isLearner?: boolean;
}
interface MemberListResponse {
  messages?: { members?: EtcdMember[] }[];
}
interface StatusResponse {
  messages?: {
    memberStatus?: { memberId?: string; leader?: string; errors?: string[]; isLearner?: boolean };
  }[];
}
interface AlarmListResponse {
  messages?: { memberAlarms?: { memberId?: string; alarm?: string }[] }[];
}

/**
 * What keeps etcd from surviving one more control-plane reboot, or
 * undefined when nothing does. Asked through apid as `talosctl etcd members`,
 * `etcd status` and `etcd alarm list` ask, and stricter than Talos's own
 * pre-upgrade check (`ValidateForUpgrade`: every member started and
 * answering a read): every control-plane node's own member answers its
 * status with a leader, no errors and as a voter; the cluster lists exactly
 * one member per control-plane node, each started; no alarm is raised.
 * A member that answers `Version` after a reboot but has not rejoined fails
 * the first test, which is what keeps an upgrade from taking a second
 * member down while the first is still away.
 */
export async function etcdProblem(
  client: grpc.Client,
  controlPlane: readonly string[],
  deadlineMs: number,
): Promise<string | undefined> {
  const timeout = Math.max(1000, Math.min(deadlineMs, 10_000));
  const nodeOf = new Map<string, string>();
  for (const node of controlPlane) {
    const answer = await unary<StatusResponse>(client, "EtcdStatus", {}, timeout, node);
    if (!answer.ok)
      return `etcd on ${node} does not answer its status (${grpc.status[answer.error.code]}): ${answer.error.details}`;
    const status = answer.response.messages?.[0]?.memberStatus;
    const member = status?.memberId ?? "unknown";
    if (status?.errors?.length)
      return `etcd member ${member} on ${node} reports: ${status.errors.join("; ")}`;
    if (!status?.leader || status.leader === "0")
      return `etcd member ${member} on ${node} knows no leader`;
    if (status.isLearner) return `etcd member ${member} on ${node} is still a learner`;
    nodeOf.set(member, node);
  }

  // Members as the cluster sees them, from the first control-plane node that answers.
  let members: EtcdMember[] | undefined;
  let listError = "no control-plane node";
  for (const node of controlPlane) {
    const answer = await unary<MemberListResponse>(
      client,
      "EtcdMemberList",
      { queryLocal: false },
      timeout,
      node,
    );
    if (answer.ok) {
      members = answer.response.messages?.[0]?.members ?? [];
      break;
    }
    listError = `${node}: ${grpc.status[answer.error.code]}: ${answer.error.details}`;
  }
  if (!members) return `no control-plane node lists etcd's members (${listError})`;
  for (const m of members) {
    const where = nodeOf.get(m.id ?? "") ?? "no control-plane node minos knows";
    if (!m.hostname) return `etcd member ${m.id} (on ${where}) has not started`;
    if (m.isLearner) return `etcd member ${m.hostname} (${m.id}, on ${where}) is still a learner`;
    if (!nodeOf.has(m.id ?? ""))
      return `etcd member ${m.hostname} (${m.id}) is on no control-plane node minos knows`;
  }
  if (members.length !== controlPlane.length)
    return `etcd lists ${members.length} members for ${controlPlane.length} control-plane nodes`;

  const first = controlPlane[0] as string;
  const alarms = await unary<AlarmListResponse>(client, "EtcdAlarmList", {}, timeout, first);
  if (!alarms.ok)
    return `etcd's alarms cannot be listed through ${first} (${grpc.status[alarms.error.code]}): ${alarms.error.details}`;
  for (const a of alarms.response.messages?.[0]?.memberAlarms ?? [])
    if (a.alarm && a.alarm !== "NONE")
      return `etcd member ${a.memberId} (on ${nodeOf.get(a.memberId ?? "") ?? "?"}) has alarm ${a.alarm}`;
  return undefined;
}

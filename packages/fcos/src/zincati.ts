import type { BootstrapContext, ignition } from "@minos/core/render";
import { nthAddress, parseCidr, renderToml } from "@minos/core/render";

/** Zincati reads drop-ins from here in name order; above the OS's own 10-50. */
const CONFIG_PATH = "/etc/zincati/config.d/55-minos-updates.toml";
const HEALTH_DROPIN = "50-minos-node-serves.conf";

/**
 * FleetLock's fixed ClusterIP in the service network (Typhoon uses the same
 * 15th address): nodes reach it through kube-proxy before any DNS is asked.
 */
export function fleetlockAddress(serviceCidr: string): string {
  return nthAddress(parseCidr("serviceCidr", serviceCidr), 15);
}

/**
 * Zincati groups: the FleetLock server holds one lock per group, so at most
 * one control-plane node and one worker reboot at once. Zincati allows only
 * `[a-zA-Z0-9.-]` here.
 */
export const ZINCATI_GROUPS = { controlPlane: "control-plane", workers: "workers" } as const;

/**
 * Zincati (FCOS's update agent) as `ctx.osUpdates` asks. Coordinated: the
 * `fleet_lock` strategy against the cluster's FleetLock server, which
 * drains the node before granting its reboot; Zincati starts, and so tells
 * the server this node is back, only once the node serves again (its API
 * server answers `/readyz`, or a worker's kubelet its health check), so
 * the next node of the group waits for it. Off: Zincati never updates.
 * Zincati's `periodic` strategy cannot be combined with `fleet_lock`, so
 * FCOS refuses a window (see `validate` in node-os.ts).
 */
export function zincatiIgnition(
  ctx: BootstrapContext,
): Pick<ignition.IgnitionSpec, "files" | "units"> {
  if (ctx.osUpdates.mode === "off")
    return {
      files: [{ path: CONFIG_PATH, contents: renderToml({ updates: { enabled: false } }) }],
    };
  const controlPlane = ctx.controlPlane !== undefined;
  const config = {
    identity: { group: controlPlane ? ZINCATI_GROUPS.controlPlane : ZINCATI_GROUPS.workers },
    updates: {
      strategy: "fleet_lock",
      // The trailing slash matters: Zincati joins v1/pre-reboot onto this URL.
      fleet_lock: { base_url: `http://${fleetlockAddress(ctx.serviceCidr)}/` },
    },
  };
  const health = controlPlane ? "https://127.0.0.1:6443/readyz" : "http://127.0.0.1:10248/healthz";
  return {
    files: [{ path: CONFIG_PATH, contents: renderToml(config) }],
    units: [
      {
        name: "zincati.service",
        dropins: [{ name: HEALTH_DROPIN, contents: healthDropin(health) }],
      },
    ],
  };
}

function healthDropin(url: string): string {
  return [
    "[Unit]",
    // After the boot, not part of it: multi-user.target would otherwise wait
    // for this start, and the sysext's Upholds= starts the kubelet (and so
    // the API server) only once multi-user.target is up: every boot after
    // the first would wait out the timeout below before the node serves.
    "After=kubernetes-sysext.service kubeadm.service multi-user.target",
    "",
    "[Service]",
    // A node that never serves again keeps its group's lock: updates stop, the cluster stays up.
    "TimeoutStartSec=1h",
    `ExecStartPre=/usr/bin/sh -c 'until curl -fsk --max-time 5 ${url} >/dev/null; do sleep 10; done'`,
    "",
  ].join("\n");
}

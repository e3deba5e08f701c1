import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { workerContext } from "../../../test/support/context.js";
import { KUBE_VIP_IMAGE, kubeVipFiles, kubeVipPod } from "../src/kubeadm/kube-vip.js";

/**
 * Every environment variable kube-vip v1.2.3 reads: the string constants of
 * kube-vip/kube-vip `pkg/kubevip/config_envvar.go` at that tag.
 */
const KUBE_VIP_ENV = new Set(
  `address annotation backend_health_check_interval bgp_as bgp_attach_ip_to_interface bgp_enable
  bgp_hold_time bgp_keepalive_interval bgp_multihop bgp_peeraddress bgp_peeras bgp_peerpass bgp_peers
  bgp_routerid bgp_routerinterface bgp_sourceif bgp_sourceip config_file control_plane_health_check_address
  control_plane_health_check_ca_path control_plane_health_check_failure_threshold
  control_plane_health_check_period_seconds control_plane_health_check_timeout_seconds cp_detect cp_enable
  cp_namespace debounce_time dhcp_backoff_attempts dhcp_mode disable_service_updates dns_mode egress_clean
  egress_enableinternalsnat egress_podcidr egress_servicecidr egress_withnftables enable_endpoints
  enable_node_labeling enable_service_security enable_upnp health_check_port instance_name iptables_backend
  kubernetes_addr lb_class_legacy_handling lb_class_name lb_class_only lb_enable lb_fwdmethod lb_port
  mirror_dest_interface mpbgp_nexthop per_service_election_on_demand port prometheus_server svc_election
  svc_enable svc_leasename svc_namespace vip_address vip_allow_interface_not_up vip_arp vip_arpRate
  vip_cleanroutingtable vip_ddns vip_interface vip_interfaceloglobal vip_leaderelection vip_leaseannotations
  vip_leaseduration vip_leasename vip_loglevel vip_loseleadership vip_loseleadership_timeout_seconds
  vip_nodename vip_preserve_on_leadership_loss vip_renewdeadline vip_retryperiod vip_routingprotocol
  vip_routingtable vip_routingtableid vip_routingtabletype vip_servicesinterface vip_singlenode vip_skipdad
  vip_startleader vip_subnet vip_wireguard zebra_enable zebra_software_name zebra_url zebra_version`.split(
    /\s+/,
  ),
);

type Pod = {
  spec: {
    containers: {
      image: string;
      args: string[];
      env: { name: string; value?: string }[];
      volumeMounts: { mountPath: string }[];
      securityContext: unknown;
    }[];
    hostNetwork: boolean;
    hostAliases: unknown[];
    volumes: { hostPath: { path: string; type: string } }[];
  };
};

describe("kube-vip's static pod", () => {
  const pod = parse(kubeVipPod("10.77.0.5", 6443, "admin.conf")) as Pod;
  const [container] = pod.spec.containers;

  it("sets only variables kube-vip reads, for ARP with leader election on the control plane", () => {
    const names = container?.env.map((e) => e.name) ?? [];
    expect(names.filter((n) => !KUBE_VIP_ENV.has(n))).toEqual([]);
    const env = Object.fromEntries(container?.env.map((e) => [e.name, e.value]) ?? []);
    expect(env).toMatchObject({
      address: "10.77.0.5",
      port: "6443",
      vip_arp: "true",
      cp_enable: "true",
      vip_leaderelection: "true",
    });
    // No interface: kube-vip takes the default route's, whatever the OS names it.
    expect(names).not.toContain("vip_interface");
    expect(container?.args).toEqual(["manager"]);
    expect(container?.image).toBe(KUBE_VIP_IMAGE);
  });

  it("reaches its own API server through the mounted kubeconfig, as kube-vip's generator writes it", () => {
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.hostAliases).toEqual([{ ip: "127.0.0.1", hostnames: ["kubernetes"] }]);
    expect(container?.volumeMounts).toEqual([
      { name: "kubeconfig", mountPath: "/etc/kubernetes/admin.conf" },
    ]);
    expect(pod.spec.volumes[0]?.hostPath).toEqual({
      path: "/etc/kubernetes/admin.conf",
      type: "File",
    });
    expect(container?.securityContext).toEqual({
      capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] },
    });
  });

  it("is made for control-plane roles only, and only when the endpoint is a virtual address", () => {
    const vip = { host: "10.77.0.5", port: 6443, virtualIp: true };
    const ctx = { ...workerContext(), endpoint: vip };
    expect(kubeVipFiles("worker", ctx).files).toEqual([]);
    expect(kubeVipFiles("control-plane", workerContext()).files).toEqual([]);
    expect(kubeVipFiles("control-plane", ctx).files.map((f) => f.path)).toEqual([
      "/etc/minos/kube-vip.yaml",
      "/etc/kubernetes/manifests/kube-vip.yaml",
    ]);
    expect(kubeVipFiles("control-plane-join", ctx).files.map((f) => f.path)).toEqual([
      "/etc/minos/kube-vip.yaml",
    ]);
    expect(kubeVipPod("10.77.0.5", 6443, "admin.conf")).toBe(
      kubeVipPod("10.77.0.5", 6443, "admin.conf"),
    );
  });
});

/**
 * The images minos' probes run, pinned by exact tag, each with the upstream
 * source it was checked against (docs/versions.md lists them).
 */

/**
 * Pod start: the pause image kubeadm 1.35 pins (kubernetes/kubernetes
 * `cmd/kubeadm/app/constants/constants.go`, `PauseVersion = "3.10.1"` at
 * v1.35.x): it starts at once and does nothing, so the timing is the OS's
 * and the runtime's, not the workload's.
 */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1";

/**
 * DNS and host posture: Kubernetes' own e2e image (kubernetes/kubernetes
 * `test/utils/image/manifest.go`, `Agnhost` 2.52; `test/images/agnhost/Dockerfile`
 * adds bind-tools for `dig`, and bash).
 */
export const AGNHOST_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.52";

/**
 * Image pull: an image no other probe or add-on pulls before, so every node
 * pulls it whole (kubernetes/kubernetes `test/utils/image/manifest.go`,
 * `NginxNew` 1.15-4). Its size comes from the kubelet's own `Pulled` event.
 * The load balancer and volume probe's pod, which runs after, serves its
 * nginx on port 80 and finds it on the node, so no download is in its times.
 */
export const PULL_IMAGE = "registry.k8s.io/e2e-test-images/nginx:1.15-4";

/**
 * Network: nicolaka/netshoot at its v0.16 release (`Dockerfile` at v0.16
 * installs Alpine's `iperf3`; `.github/workflows/release-buildx.yml` pushes
 * each `v*` tag to Docker Hub).
 */
export const IPERF3_IMAGE = "docker.io/nicolaka/netshoot:v0.16";

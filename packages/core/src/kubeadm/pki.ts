import type { ControlPlaneMaterial } from "../contracts/bootstrap.js";

/** kubeadm's certificate directory. */
export const KUBEADM_PKI_DIR = "/etc/kubernetes/pki";

/** A file under kubeadm's PKI directory. */
export interface PkiFile {
  path: string;
  contents: string;
  mode: number;
}

/**
 * The shared CA material a control-plane node needs on disk before kubeadm
 * runs: kubeadm init then reuses our CAs instead of making its own, and
 * kubeadm join --control-plane finds what it would otherwise download.
 * Workers get nothing: their kubeadm join discovers the CA by its hash, and a
 * worker must never hold CA keys.
 */
export function pkiFiles(s: ControlPlaneMaterial | undefined): PkiFile[] {
  if (!s) return [];
  const cert = (path: string, contents: string): PkiFile => ({
    path: `${KUBEADM_PKI_DIR}/${path}`,
    contents,
    mode: 0o644,
  });
  const key = (path: string, contents: string): PkiFile => ({
    path: `${KUBEADM_PKI_DIR}/${path}`,
    contents,
    mode: 0o600,
  });
  return [
    cert("ca.crt", s.ca.certPem),
    key("ca.key", s.ca.keyPem),
    cert("front-proxy-ca.crt", s.frontProxyCa.certPem),
    key("front-proxy-ca.key", s.frontProxyCa.keyPem),
    cert("etcd/ca.crt", s.etcdCa.certPem),
    key("etcd/ca.key", s.etcdCa.keyPem),
    cert("sa.pub", s.serviceAccount.publicKeyPem),
    key("sa.key", s.serviceAccount.privateKeyPem),
  ];
}

#!/bin/bash
# Installs and configures rootful Podman for the runner's engine tests (idempotent).
#
# What this machine needs (issue 15): runc (crun refuses the hybrid cgroup layout), cgroupfs
# (no systemd), no network namespace set-up (no CNI/netavark network is configured), file
# events, ulimits no higher than the machine's hard limits, the vfs storage driver (no overlay
# in a container), and a base image made locally from busybox (no registry is reachable):
# `localhost/lifecycle-job-busybox`, also tagged `alpine:3.20` and `alpine` so the sample
# Dockerfiles of the tests build without pulling.
set -eu

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi

if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman podman-docker runc busybox-static >/dev/null
fi
$SUDO mkdir -p /etc/containers
# podman-docker's wrapper prints a notice on every call without this file.
$SUDO touch /etc/containers/nodocker

nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] && nofile=20000
[ "$nproc" = unlimited ] && nproc=32768
[ "$nofile" -gt 20000 ] && nofile=20000
[ "$nproc" -gt 32768 ] && nproc=32768
$SUDO tee /etc/containers/containers.conf >/dev/null <<CONF
# Written by Tests/Support/setup-podman.sh (lifecycle-job's engine tests).
[containers]
netns = "none"
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
$SUDO tee /etc/containers/storage.conf >/dev/null <<'CONF'
# Written by Tests/Support/setup-podman.sh (lifecycle-job's engine tests).
[storage]
driver = "vfs"
runroot = "/run/containers/storage"
graphroot = "/var/lib/containers/storage"
CONF

# The tag says which version of this recipe made the image (v2: its root is 0755, so a USER
# other than root can run it).
image=localhost/lifecycle-job-busybox:v2
if ! $SUDO podman image exists "$image"; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  chmod 755 "$root"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root" "$root/qovery-output"
  cp /bin/busybox "$root/bin/busybox"
  for tool in $("$root/bin/busybox" --list); do
    [ "$tool" = busybox ] || ln -s busybox "$root/bin/$tool"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -cf - . | $SUDO podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/sh"]' - "$image" >/dev/null 2>&1
fi
for tag in localhost/lifecycle-job-busybox:latest alpine:3.20 alpine:latest; do
  $SUDO podman tag "$image" "$tag"
done
$SUDO podman run --rm --user nobody "$image" /bin/true
echo "podman ready: $(podman --version), runtime runc, storage vfs"

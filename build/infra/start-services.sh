#!/usr/bin/env bash
# Starts the services Tollgate's Docker stages and integration tests need, on a Debian machine, as root:
#   1. installs docker.io, docker-registry and debootstrap (apt) when missing;
#   2. starts dockerd without a bridge network (test traffic stays on 127.0.0.1; containers use host networking);
#   3. starts a registry on 127.0.0.1:5000 with deletes enabled (prune-images deletes manifests);
#   4. builds the offline base image once (debootstrap minbase + the libraries a self-contained .NET server and
#      ML.NET's native trainers need), skipped when the image already exists.
# Idempotent: every step checks first and says what it found. Exits non-zero with a message on the first failure.
#
# Settings (environment):
#   TOLLGATE_SERVICES_DIR   state and logs            (default /var/lib/tollgate-services)
#   TOLLGATE_REGISTRY_ADDR  registry listen address   (default 127.0.0.1:5000)
#   TOLLGATE_BASE_IMAGE     offline base image name   (default tollgate/base-offline:bookworm)
#   DOCKER_SOCKET           engine socket             (default /var/run/docker.sock)
set -euo pipefail

STATE_DIR="${TOLLGATE_SERVICES_DIR:-/var/lib/tollgate-services}"
REGISTRY_ADDR="${TOLLGATE_REGISTRY_ADDR:-127.0.0.1:5000}"
BASE_IMAGE="${TOLLGATE_BASE_IMAGE:-tollgate/base-offline:bookworm}"
DOCKER_SOCKET="${DOCKER_SOCKET:-/var/run/docker.sock}"
# ca-certificates/libicu/libssl/zlib/tzdata: what .NET needs; libgomp1 + libstdc++6: LightGBM's and FastTree's native code.
BASE_PACKAGES="ca-certificates,libicu72,libssl3,zlib1g,tzdata,libgomp1,libstdc++6"

say() { echo "[start-services] $*"; }
fail() { echo "[start-services] error: $*" >&2; exit 1; }

[[ "$(id -u)" == "0" ]] || fail "must run as root (it installs packages and starts dockerd); run it with sudo."
mkdir -p "$STATE_DIR"

# --- 1. packages -------------------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]} > 0)); then
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed; check the machine's Debian mirror."
  apt-get install -y -qq "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed."
else
  say "packages present: dockerd, docker-registry, debootstrap, curl"
fi

# --- 2. dockerd --------------------------------------------------------------------------------------------------
engine_up() { curl -fsS --max-time 3 --unix-socket "$DOCKER_SOCKET" http://localhost/_ping >/dev/null 2>&1; }
if engine_up; then
  say "dockerd already answering on unix://$DOCKER_SOCKET"
else
  say "starting dockerd (--bridge=none --iptables=false --ip-forward=false), log $STATE_DIR/dockerd.log"
  nohup dockerd --bridge=none --iptables=false --ip-forward=false --host "unix://$DOCKER_SOCKET" \
    >"$STATE_DIR/dockerd.log" 2>&1 &
  echo $! >"$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 60); do
    engine_up && break
    kill -0 "$(cat "$STATE_DIR/dockerd.pid")" 2>/dev/null || {
      tail -n 20 "$STATE_DIR/dockerd.log" >&2 || true
      fail "dockerd exited during start-up; see $STATE_DIR/dockerd.log."
    }
    sleep 1
  done
  engine_up || fail "dockerd did not answer on unix://$DOCKER_SOCKET within 60 s; see $STATE_DIR/dockerd.log."
  say "dockerd up (pid $(cat "$STATE_DIR/dockerd.pid"))"
fi

# --- 3. registry -------------------------------------------------------------------------------------------------
registry_up() { curl -fsS --max-time 3 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }
if registry_up; then
  say "registry already answering on http://$REGISTRY_ADDR"
else
  mkdir -p "$STATE_DIR/registry"
  cat >"$STATE_DIR/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
EOF
  say "starting docker-registry on $REGISTRY_ADDR (storage $STATE_DIR/registry, delete enabled), log $STATE_DIR/registry.log"
  nohup docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 &
  echo $! >"$STATE_DIR/registry.pid"
  for _ in $(seq 1 30); do
    registry_up && break
    kill -0 "$(cat "$STATE_DIR/registry.pid")" 2>/dev/null || {
      tail -n 20 "$STATE_DIR/registry.log" >&2 || true
      fail "docker-registry exited during start-up; see $STATE_DIR/registry.log (is $REGISTRY_ADDR taken?)."
    }
    sleep 1
  done
  registry_up || fail "registry did not answer on http://$REGISTRY_ADDR/v2/ within 30 s; see $STATE_DIR/registry.log."
  say "registry up (pid $(cat "$STATE_DIR/registry.pid"))"
fi

# --- 4. offline base image ---------------------------------------------------------------------------------------
if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  say "base image $BASE_IMAGE already present (cached; remove it to rebuild)"
else
  mirror="$(grep -h -m1 '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)"
  if [[ -z "$mirror" ]]; then
    mirror="$(grep -h -m1 -E '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true)"
  fi
  [[ -n "$mirror" ]] || fail "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list."
  rootfs="$(mktemp -d "$STATE_DIR/base-rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
  say "building $BASE_IMAGE: debootstrap --variant=minbase bookworm from $mirror (about 30 s; log $STATE_DIR/debootstrap.log)"
  debootstrap --variant=minbase --include="$BASE_PACKAGES" bookworm "$rootfs" "$mirror" >"$STATE_DIR/debootstrap.log" 2>&1 \
    || { tail -n 20 "$STATE_DIR/debootstrap.log" >&2; fail "debootstrap failed; see $STATE_DIR/debootstrap.log."; }
  # Smaller image: apt lists and caches are not needed at run time.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    --message "Tollgate offline base: debootstrap minbase bookworm + $BASE_PACKAGES" \
    - "$BASE_IMAGE" >/dev/null || fail "docker import of $BASE_IMAGE failed."
  rm -rf "$rootfs"
  trap - EXIT
  say "base image $BASE_IMAGE built ($(docker image inspect --format '{{.Size}}' "$BASE_IMAGE") bytes)"
fi

say "ready: DOCKER_HOST=unix://$DOCKER_SOCKET TOLLGATE_REGISTRY=$REGISTRY_ADDR base image $BASE_IMAGE"

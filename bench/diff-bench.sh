#!/usr/bin/env bash
# Benchmarks `cloudfront-deploy diff` against its baselines, measured in the same run on the same machine:
#   - diff over SSH vs `rsync -rn --checksum --delete` over the same loopback OpenSSH, to the same tree; the live
#     release is first deployed once by the tool (so a manifest is stored with it, as with every later release), and
#     the diff is also timed with --verify-remote (every candidate hashed on the server);
#   - local hashing throughput vs `find -print0 | xargs -0 -P$(nproc) sha256sum`;
#   - heap per file, from the smallest -Xmx that completes a diff at two tree sizes.
# Everything talks to 127.0.0.1 only. Usage: bench/diff-bench.sh   (env: FILES, MODIFIED_PCT, ADDED, REMOVED, RUNS,
# WORK, CFD). Needs: a built jar (./mvnw -B -q package -DskipTests), sshd, rsync, python3.
set -euo pipefail

FILES=${FILES:-50000}
MODIFIED_PCT=${MODIFIED_PCT:-1}
ADDED=${ADDED:-50}
REMOVED=${REMOVED:-50}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CFD=${CFD:-"java -jar $ROOT/cli/target/cloudfront-deploy.jar"}
WORK=${WORK:-$(mktemp -d /tmp/cfd-bench.XXXXXX)}
export LC_ALL=C.UTF-8
SSHD_PID=""

cleanup() {
  if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

now_ms() { date +%s%3N; }

# median of the wall times (ms) of RUNS runs of a command, after one warm-up run (warm page cache for everyone)
median_ms() {
  "$@" >/dev/null 2>&1
  local times=() t0
  for _ in $(seq "$RUNS"); do
    t0=$(now_ms)
    "$@" >/dev/null 2>&1
    times+=($(( $(now_ms) - t0 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

generate() { # DIR FILES SEED
  mkdir -p "$1/www"
  python3 "$ROOT/bench/gen-site.py" "$1/www/1.0.0" "$1/build" "$2" "$MODIFIED_PCT" "$ADDED" "$REMOVED" "$3"
  ln -s 1.0.0 "$1/www/production"
}

start_sshd() {
  mkdir -p "$WORK/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/id"
  cp "$WORK/ssh/id.pub" "$WORK/ssh/authorized_keys"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$WORK/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $WORK/ssh/host_key
PidFile $WORK/ssh/sshd.pid
AuthorizedKeysFile $WORK/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
CONF
  [ "$(id -u)" = 0 ] && mkdir -p /run/sshd
  /usr/sbin/sshd -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/ssh/log" &
  SSHD_PID=$!
  for _ in $(seq 100); do grep -q 'Server listening' "$WORK/ssh/log" && break; sleep 0.1; done
  grep -q 'Server listening' "$WORK/ssh/log" || { cat "$WORK/ssh/log" >&2; exit 1; }
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$WORK/ssh/host_key.pub")" > "$WORK/ssh/known_hosts"
  SSH="ssh -p $PORT -i $WORK/ssh/id -o UserKnownHostsFile=$WORK/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"
}

ours_ssh() {
  $CFD diff --quiet --source "$WORK/big/build" --target "ssh://$USER@127.0.0.1:$PORT$WORK/big/www/production" \
    --identity "$WORK/ssh/id" --known-hosts "$WORK/ssh/known_hosts" --report-dir "$WORK/report-ssh"
}

ours_ssh_verify() { # the same, ignoring the manifest stored with the live release: every candidate hashed remotely
  $CFD diff --quiet --verify-remote --source "$WORK/big/build" \
    --target "ssh://$USER@127.0.0.1:$PORT$WORK/big/www/production" \
    --identity "$WORK/ssh/id" --known-hosts "$WORK/ssh/known_hosts" --report-dir "$WORK/report-ssh-verify"
}

# makes the generated live release one this tool deployed (so a manifest is stored with it), as every release after
# the first is: the same content deployed locally as release "base", hard-linked to 1.0.0, production pointing at it
deploy_base() { # DIR
  $CFD deploy --quiet --source "$1/www/1.0.0" --target "$1/www/production" --release base --keep 100 \
    --report-dir "$WORK/report-base" >/dev/null
}

rsync_ssh() {
  rsync -rln --checksum --delete -i -e "$SSH" "$WORK/big/build/" "$USER@127.0.0.1:$WORK/big/www/1.0.0/"
}

ours_scan_only() { # first deploy: no link yet, so the whole build is hashed locally and nothing else
  mkdir -p "$WORK/empty-site"
  $CFD diff --quiet --source "$WORK/big/build" --target "$WORK/empty-site/production" --report-dir "$WORK/report-scan"
}

sha256sum_all() {
  find "$WORK/big/build" -type f -print0 | xargs -0 -P"$(nproc)" -n 256 sha256sum
}

# smallest -Xmx (MiB) with which a local diff of DIR still succeeds; serial GC so the bound is tight
min_heap_mib() {
  local dir=$1 lo=2 hi=512 mid
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(( (lo + hi) / 2 ))
    if JAVA_TOOL_OPTIONS="-Xmx${mid}m -XX:+UseSerialGC" $CFD diff --quiet --source "$dir/build" \
        --target "$dir/www/production" --report-dir "$WORK/report-heap" >/dev/null 2>&1; then
      hi=$mid
    else
      lo=$mid
    fi
  done
  echo "$hi"
}

USER=${USER:-$(id -un)}
log "generating $FILES files in $WORK ..."
generate "$WORK/big" "$FILES" 1
generate "$WORK/small" "$((FILES / 10))" 2
start_sshd
deploy_base "$WORK/big"
deploy_base "$WORK/small"

read -r exp_added exp_modified exp_removed < "$WORK/big/expected-counts.txt"
ours_ssh
got=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["added"], c["modified"], c["removed"])' "$WORK/report-ssh/report.json")
if [ "$got" != "$exp_added $exp_modified $exp_removed" ]; then
  log "FAIL: diff found (added modified removed) $got, the generator made $exp_added $exp_modified $exp_removed"
  exit 1
fi

log "timing diff and rsync over ssh ($RUNS runs each, after a warm-up) ..."
t_ours=$(median_ms ours_ssh)
t_verify=$(median_ms ours_ssh_verify)
t_rsync=$(median_ms rsync_ssh)
log "timing hashing ..."
t_scan_wall=$(median_ms ours_scan_only)
scan_ms=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings"]; print(t["walkMs"]+t["hashMs"])' "$WORK/report-scan/report.json")
t_sha=$(median_ms sha256sum_all)
bytes=$(du -sb --apparent-size "$WORK/big/build" | cut -f1)
log "measuring heap (bisection on -Xmx) ..."
heap_big=$(min_heap_mib "$WORK/big")
heap_small=$(min_heap_mib "$WORK/small")

python3 - "$FILES" "$bytes" "$t_ours" "$t_rsync" "$scan_ms" "$t_scan_wall" "$t_sha" "$heap_big" "$heap_small" \
    "$t_verify" <<'PY'
import sys
files, nbytes, ours, rsync, scan_ms, scan_wall, sha, hb, hs, verify = map(float, sys.argv[1:])
mb = nbytes / 1e6
print(f"files {int(files)}, {mb:.0f} MB")
print(f"diff over ssh: ours {ours/1000:.2f} s, rsync -rn --checksum {rsync/1000:.2f} s, ratio {ours/rsync:.2f} (target <= 0.5)")
print(f"  with --verify-remote (no stored manifest): {verify/1000:.2f} s, ratio {verify/rsync:.2f}")
print(f"hashing: ours {mb/(scan_ms/1000):.0f} MB/s in-process ({mb/(scan_wall/1000):.0f} MB/s with JVM start),"
      f" sha256sum -P {mb/(sha/1000):.0f} MB/s, ratio {(sha/scan_ms):.2f} in-process, {(sha/scan_wall):.2f} whole process (target >= 0.8)")
per_file = (hb - hs) * 1024 * 1024 / (files - files / 10)
print(f"heap: min -Xmx {int(hb)} MiB at {int(files)} files, {int(hs)} MiB at {int(files/10)}: {per_file:.0f} bytes/file (target <= 300)")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"

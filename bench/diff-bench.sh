#!/usr/bin/env bash
# Prints issue 14's table in one command: `cloudfront-deploy diff` against its baselines, measured in the same run on
# the same machine (medians of RUNS runs after one warm-up, whole process, max RSS of the median's run set):
#   1. diff over SSH when the live release was deployed by the tool (its stored manifest is used) vs
#      `rsync -rln --checksum --delete -i` over the same loopback OpenSSH, to the same tree;
#   2. the same diff with --verify-remote (the stored manifest ignored: every same-size candidate hashed on the server)
#      vs the same rsync;
#   3. hashing the build (a diff against an empty site: the whole build hashed locally, nothing else) vs
#      `find -print0 | xargs -0 -P$(nproc) -n 256 sha256sum`;
#   4. heap per file: the smallest -Xmx (serial GC) with which a local diff completes, at FILES and FILES/10 files;
#      the slope between them.
# With --million it then generates a 1,000,000-file site (100 B-1 KB files, about 0.6 GB per tree, two trees) and
# checks that a diff of it, local and over SSH, completes with -Xmx256m (it prints the times and RSS).
#
# sshd is started with `SetEnv SHLVL=1` (as in deploy-bench.sh): bash sources ~/.bashrc for a command run over SSH
# only at the first shell level, and root's ~/.bashrc here runs `pyenv init`, about 0.6 s per SSH command. It applies
# to rsync and to the tool alike.
# Everything talks to 127.0.0.1 only.
# --heap-only measures only the heap per file (and the 1M diff with --million). With KEEP=1 (or --keep) and a given
# WORK, the generated trees are kept and reused by the next run.
# Usage: bench/diff-bench.sh [--million] [--heap-only] [--files N] [--runs N] [--profile site|issue|tiny] [--keep]
#   (env, same meaning: FILES, RUNS, PROFILE, MODIFIED_PCT, ADDED, REMOVED, WORK, CFD, KEEP)
# Needs: a built jar (./mvnw -B -q package -DskipTests), sshd, rsync, python3, GNU time (/usr/bin/time).
set -euo pipefail

FILES=${FILES:-50000}
MODIFIED_PCT=${MODIFIED_PCT:-1}
ADDED=${ADDED:-50}
REMOVED=${REMOVED:-50}
RUNS=${RUNS:-3}
PROFILE=${PROFILE:-issue}
MILLION=""
HEAP_ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --million) MILLION=1 ;;
    --heap-only) HEAP_ONLY=1 ;;
    --files) FILES=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --profile) PROFILE=$2; shift ;;
    --keep) KEEP=1 ;;
    *) echo "usage: $0 [--million] [--heap-only] [--files N] [--runs N] [--profile site|issue|tiny] [--keep]" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CFD=${CFD:-"$ROOT/bin/cloudfront-deploy"} # the launcher users run (with its CDS archive)
WORK=${WORK:-$(mktemp -d /tmp/cfd-bench.XXXXXX)}
export LC_ALL=C.UTF-8
SSHD_PID=""

cleanup() {
  if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

# "MS RSS_KB" of one run: wall time from GNU time's elapsed seconds, peak resident set of the whole process tree's
# largest process (the JVM, or for the peers the largest of ssh/rsync/sha256sum)
timed() {
  local out="$WORK/time.out" start
  start=$(date +%s%N)
  /usr/bin/time -o "$out" -f '%M' bash -c '"$@"' timed "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
  echo "$(( ($(date +%s%N) - start) / 1000000 )) $(tail -1 "$out")"
}

# "MEDIAN_MS MAX_RSS_KB" of RUNS runs, after one warm-up run (warm page cache for everyone)
median_run() {
  timed "$@" >/dev/null
  local results=()
  for _ in $(seq "$RUNS"); do results+=("$(timed "$@")"); done
  printf '%s\n' "${results[@]}" | python3 -c '
import sys, statistics
rows = [tuple(map(int, l.split())) for l in sys.stdin if l.strip()]
print(int(statistics.median(r[0] for r in rows)), max(r[1] for r in rows))'
}

generate() { # DIR FILES SEED PROFILE (kept from an earlier run with KEEP=1 and the same WORK)
  if [ -f "$1/expected-counts.txt" ]; then return; fi
  mkdir -p "$1/www"
  python3 "$ROOT/bench/gen-site.py" "$1/www/1.0.0" "$1/build" "$2" "$MODIFIED_PCT" "$ADDED" "$REMOVED" "$3" "$4"
  ln -s 1.0.0 "$1/www/production"
}

start_sshd() {
  mkdir -p "$WORK/ssh"
  # kept keys (KEEP=1) are reused
  [ -f "$WORK/ssh/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
  [ -f "$WORK/ssh/id" ] || ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/id"
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
SetEnv SHLVL=1
CONF
  [ "$(id -u)" = 0 ] && mkdir -p /run/sshd
  /usr/sbin/sshd -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/ssh/log" &
  SSHD_PID=$!
  for _ in $(seq 100); do grep -q 'Server listening' "$WORK/ssh/log" && break; sleep 0.1; done
  grep -q 'Server listening' "$WORK/ssh/log" || { cat "$WORK/ssh/log" >&2; exit 1; }
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$WORK/ssh/host_key.pub")" > "$WORK/ssh/known_hosts"
  SSH="ssh -p $PORT -i $WORK/ssh/id -o UserKnownHostsFile=$WORK/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"
}

ours_ssh() { # DIR [options...]
  local dir=$1; shift
  $CFD diff --quiet "$@" --source "$dir/build" --target "ssh://$USER@127.0.0.1:$PORT$dir/www/production" \
    --identity "$WORK/ssh/id" --known-hosts "$WORK/ssh/known_hosts"
}

ours_local() { # DIR [options...]
  local dir=$1; shift
  $CFD diff --quiet "$@" --source "$dir/build" --target "$dir/www/production"
}

# makes the generated live release one this tool deployed (so a manifest is stored with it), as every release after
# the first is: the same content deployed locally as release "base", hard-linked to 1.0.0, production pointing at it
deploy_base() { # DIR (once: a kept WORK has it already)
  [ -e "$1/www/base" ] && return
  $CFD deploy --quiet --source "$1/www/1.0.0" --target "$1/www/production" --release base --keep 100 \
    --report-dir "$WORK/report-base" >/dev/null
}

rsync_ssh() { # DIR
  rsync -rln --checksum --delete -i -e "$SSH" "$1/build/" "$USER@127.0.0.1:$1/www/1.0.0/"
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
    if JAVA_TOOL_OPTIONS="-Xmx${mid}m -XX:+UseSerialGC" ours_local "$dir" --report-dir "$WORK/report-heap" \
        >/dev/null 2>&1; then
      hi=$mid
    else
      lo=$mid
    fi
  done
  echo "$hi"
}

check_counts() { # DIR REPORT_DIR
  local exp got
  exp=$(cat "$1/expected-counts.txt")
  got=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(c["added"], c["modified"], c["removed"])' "$2/report.json")
  if [ "$got" != "$exp" ]; then
    log "FAIL: diff of $1 found (added modified removed) $got, the generator made $exp"
    exit 1
  fi
}

stages() { # REPORT_DIR: the report's stage timings, one line
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings"]; print(", ".join(f"{k[:-2]} {v/1000:.2f}" for k, v in t.items()))' "$1/report.json"
}

USER=${USER:-$(id -un)}
export CFD WORK USER
export -f ours_ssh ours_local rsync_ssh ours_scan_only sha256sum_all
log "generating $FILES files ($PROFILE sizes) in $WORK ..."
generate "$WORK/big" "$FILES" 1 "$PROFILE"
generate "$WORK/small" "$((FILES / 10))" 2 "$PROFILE"
start_sshd
export PORT SSH
deploy_base "$WORK/big"
deploy_base "$WORK/small"
if [ -z "$HEAP_ONLY" ]; then
ours_ssh "$WORK/big" --report-dir "$WORK/report-ssh" >/dev/null
check_counts "$WORK/big" "$WORK/report-ssh"
ours_ssh "$WORK/big" --verify-remote --report-dir "$WORK/report-verify" >/dev/null
check_counts "$WORK/big" "$WORK/report-verify"

log "timing ($RUNS runs each, after a warm-up); load before: $(uptime | sed 's/.*load/load/')"
read -r t_ours rss_ours < <(median_run ours_ssh "$WORK/big" --report-dir "$WORK/report-ssh")
read -r t_verify rss_verify < <(median_run ours_ssh "$WORK/big" --verify-remote --report-dir "$WORK/report-verify")
read -r t_rsync rss_rsync < <(median_run rsync_ssh "$WORK/big")
read -r t_scan rss_scan < <(median_run ours_scan_only)
read -r t_sha rss_sha < <(median_run sha256sum_all)
load_after=$(uptime | sed 's/.*load average: //')
fi
log "measuring heap (bisection on -Xmx) ..."
heap_big=$(min_heap_mib "$WORK/big")
heap_small=$(min_heap_mib "$WORK/small")
if [ -n "$HEAP_ONLY" ]; then
  echo "heap per file: $(( (heap_big - heap_small) * 1024 * 1024 / (FILES - FILES / 10) )) B ($heap_big MiB at $FILES files, $heap_small MiB at $((FILES / 10)))"
else
bytes=$(du -sb --apparent-size "$WORK/big/build" | cut -f1)

echo "## $(date -u '+%Y-%m-%d %H:%M') UTC: $FILES files ($PROFILE sizes), $((bytes / 1000000)) MB, $MODIFIED_PCT % modified, medians of $RUNS"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1); load average after timing: $load_after"
python3 - "$FILES" "$t_ours" "$rss_ours" "$t_verify" "$rss_verify" "$t_rsync" "$rss_rsync" "$t_scan" "$rss_scan" \
    "$t_sha" "$rss_sha" "$heap_big" "$heap_small" <<'PY'
import sys
files, ours, r_ours, verify, r_verify, rsync, r_rsync, scan, r_scan, sha, r_sha, hb, hs = map(float, sys.argv[1:])
def s(ms): return f"{ms/1000:.2f} s"
def mb(kb): return f"{kb/1024:.0f} MB"
per_file = (hb - hs) * 1024 * 1024 / (files - files / 10)
print()
print("| what | ours | peer | ratio | target |")
print("|---|---|---|---|---|")
print(f"| diff, stored-manifest fast path | {s(ours)} (RSS {mb(r_ours)}) | `rsync -rn --checksum --delete -i` {s(rsync)} (RSS {mb(r_rsync)}) | {ours/rsync:.2f}× | ≤ 0.5× |")
print(f"| diff, --verify-remote (hash on the server) | {s(verify)} (RSS {mb(r_verify)}) | same rsync {s(rsync)} | {verify/rsync:.2f}× | ≤ 1.0× |")
print(f"| hash the build (diff against an empty site) | {s(scan)} (RSS {mb(r_scan)}) | `find \\| xargs -P sha256sum` {s(sha)} | {scan/sha:.2f}× | ≤ 1.0× |")
print(f"| heap per file (min -Xmx, serial GC) | {per_file:.0f} B ({int(hb)} MiB at {int(files)}, {int(hs)} MiB at {int(files/10)}) | — | — | ≤ 200 B |")
PY
echo
echo "stages of the fast path (s): $(stages "$WORK/report-ssh")"
echo "stages with --verify-remote (s): $(stages "$WORK/report-verify")"
echo "stages of the build hash (s): $(stages "$WORK/report-scan")"

fi

if [ -n "$MILLION" ]; then
  log "generating 1,000,000 files (tiny sizes) ..."
  generate "$WORK/million" 1000000 3 tiny
  deploy_base "$WORK/million"
  for where in local ssh; do
    if r=$(JAVA_TOOL_OPTIONS="-Xmx256m" timed "ours_$where" "$WORK/million" --report-dir "$WORK/report-million-$where"); then
      check_counts "$WORK/million" "$WORK/report-million-$where"
      read -r t rss <<<"$r"
      echo "1,000,000 files, $where diff with -Xmx256m: completed in $((t / 1000)).$(( (t % 1000) / 10 )) s, RSS $((rss / 1024)) MB; stages (s): $(stages "$WORK/report-million-$where")"
    else
      echo "1,000,000 files, $where diff with -Xmx256m: FAILED (above)"
    fi
  done
fi

#!/usr/bin/env bash
# Benchmarks `cloudfront-deploy deploy` against its baseline, measured in the same run on the same machine:
#   - bytes the deploy sends over SSH vs the bytes that changed (added + modified files of the build);
#   - time of a second deploy (the live release is there, MODIFIED_PCT % of it changed) vs
#     `rsync -a --link-dest=<live release> <build>/ host:<new release>/` over the same loopback OpenSSH sshd.
# Bytes are counted on the connection: a small TCP relay (python3) sits between each client and sshd and counts what
# the client sends, so the figure includes SSH framing, key exchange, and the listing and hash commands, not just
# file data. Both the deploy and rsync go through the same relay, so both are timed with the same relay overhead.
# Each timed deploy makes a new release (a release folder is never overwritten); between runs production is pointed
# back at the live release (ln -sfn) and the previous run's folder is deleted, so every run diffs against the same one.
# The generator makes 1.0.0; the tool then deploys it once, on this machine, as release "base" (hard links to 1.0.0),
# so the live release has a stored manifest, as every release after a site's first has. The deploy is also timed
# with --verify-remote, which ignores that manifest and hashes the live release on the server.
# The deploys run with --keep-removed 0: the removed files leave the new release at once, as with rsync, so both
# releases must equal the build exactly (the default, 1, keeps them hard-linked for one more deploy).
#
# sshd is started with `SetEnv SHLVL=1`: bash sources ~/.bashrc for commands run over SSH only when it is the first
# shell level, and root's ~/.bashrc here runs `pyenv init` (about 0.6 s per SSH command). The setting is in the
# sshd_config both the tool and rsync connect through, so it applies to both alike; ~/.bashrc is left as it is.
#
# With --hosts N (N > 1) the same build is also deployed to N servers at once: N sshd on N loopback ports, each
# behind its own relay (so the bytes each server receives are counted apart) and each with its own document root,
# whose live release is deployed once by the tool as above. The N document roots hard-link one generated 1.0.0 (the
# tool never writes through a shared inode, and 10 copies of a 50,000-file site would not fit in /tmp). A deploy to
# host 1 alone and one to all N hosts are timed alternately, RUNS times each after a warm-up; the script prints both
# medians, their ratio (issue 14: <= 1.5), the bytes each server received against the changed bytes, and the CPU
# time of the client, of the sshd (with their sessions) and of the relays, as all N "servers" share this machine's
# cores. Every server's warm-up release is compared with the build (diff -r) and every timed deploy must have
# switched every server's production link. The single-host rows above are measured and printed as without --hosts.
#
# Everything talks to 127.0.0.1 only. Usage: bench/deploy-bench.sh [--hosts N]   (env: FILES, MODIFIED_PCT, ADDED,
# REMOVED, RUNS, WORK, CFD, KEEP). Needs: a built jar (./mvnw -B -q package -DskipTests), sshd, rsync, python3.
set -euo pipefail

HOSTS=1
usage() { echo "usage: $0 [--hosts N]   (env: FILES, MODIFIED_PCT, ADDED, REMOVED, RUNS, WORK, CFD, KEEP)"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) [ $# -ge 2 ] || { usage >&2; exit 2; }; HOSTS=$2; shift 2 ;;
    --hosts=*) HOSTS=${1#--hosts=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ "$HOSTS" =~ ^[1-9][0-9]*$ ]] || { echo "--hosts needs a number of servers, 1 or more, not '$HOSTS'" >&2; exit 2; }

FILES=${FILES:-50000}
MODIFIED_PCT=${MODIFIED_PCT:-1}
ADDED=${ADDED:-50}
REMOVED=${REMOVED:-50}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CFD=${CFD:-"java -jar $ROOT/cli/target/cloudfront-deploy.jar"}
WORK=${WORK:-$(mktemp -d /tmp/cfd-deploy-bench.XXXXXX)}
export LC_ALL=C.UTF-8
# per host 1..HOSTS: the sshd's pid and port, the relay's pid and port (what the clients connect to), the site
SSHD_PIDS=()
SSHD_PORTS=()
RELAY_PIDS=()
PORTS=()
SITES=()

cleanup() {
  local pid
  for pid in ${RELAY_PIDS[@]+"${RELAY_PIDS[@]}"} ${SSHD_PIDS[@]+"${SSHD_PIDS[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

log() { printf '%s\n' "$*" >&2; }

now_ms() { date +%s%3N; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

generate() { # DIR FILES SEED
  mkdir -p "$1/www"
  python3 "$ROOT/bench/gen-site.py" "$1/www/1.0.0" "$1/build" "$2" "$MODIFIED_PCT" "$ADDED" "$REMOVED" "$3"
  ln -s 1.0.0 "$1/www/production"
}

make_keys() { # one host key for every sshd, one client key they all accept
  mkdir -p "$WORK/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/id"
  cp "$WORK/ssh/id.pub" "$WORK/ssh/authorized_keys"
  : > "$WORK/ssh/known_hosts"
}

start_sshd() { # I: sshd number I, on a free loopback port of its own
  local i=$1 dir="$WORK/ssh/$1" port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local SFTP_SERVER=internal-sftp
  [ -x /usr/lib/openssh/sftp-server ] && SFTP_SERVER=/usr/lib/openssh/sftp-server # the tool uploads over SFTP
  cat > "$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $WORK/ssh/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $WORK/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxSessions 64
MaxStartups 64
Subsystem sftp $SFTP_SERVER
SetEnv SHLVL=1
CONF
  [ "$(id -u)" = 0 ] && mkdir -p /run/sshd
  /usr/sbin/sshd -D -e -f "$dir/sshd_config" 2>"$dir/log" &
  SSHD_PIDS[i]=$!
  SSHD_PORTS[i]=$port
  for _ in $(seq 100); do grep -q 'Server listening' "$dir/log" && break; sleep 0.1; done
  grep -q 'Server listening' "$dir/log" || { cat "$dir/log" >&2; exit 1; }
}

# A byte-counting TCP relay 127.0.0.1:PORT -> 127.0.0.1:SSHD_PORT. After every connection opens or closes it rewrites
# STATS with "open-connections connections client-to-server-bytes server-to-client-bytes".
write_relay() {
  cat > "$WORK/relay.py" <<'PY'
import asyncio, os, sys

target_port, port_file, stats = int(sys.argv[1]), sys.argv[2], sys.argv[3]
open_conns = conns = up = down = 0


def dump():
    with open(stats + ".tmp", "w") as f:
        f.write(f"{open_conns} {conns} {up} {down}\n")
    os.replace(stats + ".tmp", stats)


async def pipe(reader, writer, client_to_server):
    global up, down
    try:
        while True:
            data = await reader.read(256 * 1024)
            if not data:
                break
            if client_to_server:
                up += len(data)
            else:
                down += len(data)
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:
        writer.close()


async def handle(client_reader, client_writer):
    global open_conns, conns
    open_conns += 1
    conns += 1
    dump()
    server_writer = None
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        await asyncio.gather(pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False))
    except OSError:
        pass
    finally:
        for w in (client_writer, server_writer):
            if w is not None:
                w.close()
        open_conns -= 1
        dump()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    dump()
    with open(port_file + ".tmp", "w") as f:
        f.write(f"{server.sockets[0].getsockname()[1]}\n")
    os.replace(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


asyncio.run(main())
PY
}

start_relay() { # I: the relay in front of sshd number I
  local i=$1 dir="$WORK/ssh/$1"
  python3 "$WORK/relay.py" "${SSHD_PORTS[i]}" "$dir/relay.port" "$dir/relay.stats" 2>"$dir/relay.log" &
  RELAY_PIDS[i]=$!
  for _ in $(seq 100); do [ -s "$dir/relay.port" ] && break; sleep 0.1; done
  [ -s "$dir/relay.port" ] || { cat "$dir/relay.log" >&2; exit 1; }
  PORTS[i]=$(cat "$dir/relay.port")
  # the clients connect to the relay's port, so that is the port the host key is known under
  echo "[127.0.0.1]:${PORTS[i]} $(cut -d' ' -f1,2 "$WORK/ssh/host_key.pub")" >> "$WORK/ssh/known_hosts"
}

# client-to-server bytes counted so far by relay I, once no connection is open through it any more (waits up to 10 s
# for the last to close)
relay_up_bytes() { # [I, default 1]
  local stats="$WORK/ssh/${1:-1}/relay.stats" open conns up down
  for _ in $(seq 200); do
    read -r open conns up down < "$stats"
    [ "$open" = 0 ] && break
    sleep 0.05
  done
  [ "$open" = 0 ] || log "warning: $open connection(s) still open through relay ${1:-1}"
  echo "$up"
}

SITE="$WORK/big/www"
SITES[1]=$SITE

reset_site() { # SITE NAME_OF_THE_PREVIOUS_RUN (or empty)
  ln -sfn base "$1/production"
  if [ -n "$2" ]; then rm -rf -- "${1:?}/$2"; fi
}

reset_live() { # NAME_OF_THE_PREVIOUS_RUN (or empty)
  reset_site "$SITE" "$1"
}

deploy_to() { # "I J ..." RELEASE [OPTION...]: one deploy of the build to hosts I, J, ... (their production links)
  local targets=() i
  for i in $1; do
    targets+=(--target "ssh://$USER@127.0.0.1:${PORTS[i]}${SITES[i]}/production")
  done
  $CFD deploy -q --source "$WORK/big/build" "${targets[@]}" --release "$2" "${@:3}" \
    --identity "$WORK/ssh/id" --known-hosts "$WORK/ssh/known_hosts" --report-dir "$WORK/report-$2" \
    --keep 100 --max-deletes -1 --keep-removed 0
}

ours_deploy() { # RELEASE
  deploy_to 1 "$@"
}

ours_verify_deploy() { # RELEASE: the same, hashing the live release on the server instead of trusting its manifest
  ours_deploy "$1" --verify-remote
}

rsync_deploy() { # RELEASE
  rsync -a --link-dest="$SITE/base" -e "$SSH" "$WORK/big/build/" "$USER@127.0.0.1:$SITE/$1/"
}

# runs KIND (ours|rsync) once as warm-up (release w-KIND) and RUNS times (KIND-1..N); sets T_<KIND> (median ms) and
# B_<KIND> (median client-to-server bytes); leaves the warm-up release in place for the checks
time_runs() {
  local kind=$1 fn=$2 prev="" times=() bytes=() t0 b0 name
  reset_live ""
  $fn "w-$kind" >"$WORK/w-$kind.log" 2>&1 || { cat "$WORK/w-$kind.log" >&2; log "FAIL: warm-up $kind"; exit 1; }
  for i in $(seq "$RUNS"); do
    name="$kind-$i"
    reset_live "$prev"
    b0=$(relay_up_bytes)
    t0=$(now_ms)
    $fn "$name" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log" >&2; log "FAIL: $name"; exit 1; }
    times+=($(( $(now_ms) - t0 )))
    bytes+=($(( $(relay_up_bytes) - b0 )))
    log "  $name: ${times[-1]} ms, ${bytes[-1]} bytes client->server"
    prev=$name
  done
  reset_live "$prev"
  printf -v "T_$kind" '%s' "$(printf '%s\n' "${times[@]}" | median)"
  printf -v "B_$kind" '%s' "$(printf '%s\n' "${bytes[@]}" | median)"
}

USER=${USER:-$(id -un)}
log "generating $FILES files in $WORK ..."
generate "$WORK/big" "$FILES" 1
make_keys
write_relay
for i in $(seq "$HOSTS"); do
  start_sshd "$i"
  start_relay "$i"
done
PORT=${PORTS[1]}
SSH="ssh -p $PORT -i $WORK/ssh/id -o UserKnownHostsFile=$WORK/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"

# The changed bytes, from the two trees: files of the build that 1.0.0 lacks or holds with other content. Also gives
# rsync's quick check (size and mtime) a correct answer: the generator writes a tree within the same second or two,
# so a modified file of the same size can carry the same mtime as the live one and rsync -a would skip it. Every
# live file is dated a day back, its unchanged copy in the build the same, and the changed ones keep a newer mtime
# (as a build that keeps the mtimes of unchanged files would: the favourable case for rsync).
read -r changed_files changed_bytes < <(python3 - "$SITE/1.0.0" "$WORK/big/build" <<'PY'
import filecmp, os, sys, time
live, build = sys.argv[1:3]
old = int(time.time()) - 86400
for d, _, files in os.walk(live):
    for f in files:
        os.utime(os.path.join(d, f), (old, old), follow_symlinks=False)
n = total = 0
for d, _, files in os.walk(build):
    for f in files:
        b = os.path.join(d, f)
        l = os.path.join(live, os.path.relpath(b, build))
        if os.path.islink(b):
            continue
        if not os.path.isfile(l) or os.path.islink(l) or not filecmp.cmp(l, b, shallow=False):
            n += 1
            total += os.path.getsize(b)
        else:
            os.utime(b, (old, old))
print(n, total)
PY
)

# The live release becomes one this tool deployed, as every release after the first is: the same content deployed
# on this machine (not through the relay) as release "base", hard-linked to 1.0.0, with its manifest stored.
$CFD deploy --quiet --source "$SITE/1.0.0" --target "$SITE/production" --release base --keep 100 \
  --report-dir "$WORK/report-base" >/dev/null
# Hosts 2..N: their own document root, whose 1.0.0 hard-links host 1's, made a release of the tool's the same way.
for i in $(seq 2 "$HOSTS"); do
  SITES[i]="$WORK/host-$i/www"
  mkdir -p "${SITES[i]}"
  cp -al "$SITE/1.0.0" "${SITES[i]}/1.0.0"
  ln -s 1.0.0 "${SITES[i]}/production"
  $CFD deploy --quiet --source "${SITES[i]}/1.0.0" --target "${SITES[i]}/production" --release base --keep 100 \
    --report-dir "$WORK/report-base-$i" >/dev/null
done

log "timing deploy and rsync over ssh through the relay ($RUNS runs each, after a warm-up) ..."
time_runs ours ours_deploy
time_runs verify ours_verify_deploy
time_runs rsync rsync_deploy

# CPU seconds (user + system) so far: of this script's finished children (the deploy's JVM is one), of sshd I with
# the sessions it has reaped, of relay I
cpu_client() { awk '{print $16 + $17}' "/proc/$$/stat"; }
cpu_sshd() { awk '{print $16 + $17}' "/proc/${SSHD_PIDS[$1]}/stat"; }
cpu_relay() { awk '{print $14 + $15}' "/proc/${RELAY_PIDS[$1]}/stat"; }
cpu_all() { # "client sshd relays" in clock ticks, sshd and relays summed over every host
  local i s=0 r=0
  for i in $(seq "$HOSTS"); do
    s=$((s + $(cpu_sshd "$i")))
    r=$((r + $(cpu_relay "$i")))
  done
  echo "$(cpu_client) $s $r"
}

# every host's production link names RELEASE
check_switched() { # RELEASE
  local i
  for i in $(seq "$HOSTS"); do
    [ "$(readlink "${SITES[i]}/production")" = "$1" ] \
      || { log "FAIL: production on host $i (port ${PORTS[i]}) is $(readlink "${SITES[i]}/production"), not $1"
           exit 1; }
  done
}

# With --hosts N: a deploy to host 1 alone and one to all N, alternately, RUNS times after a warm-up to all N (left in
# place for the checks). Sets T_one and T_all (median ms), B_one (median bytes to host 1), B_HOST[i] (median bytes to
# host i in the deploy to all) and C_one, C_all ("client sshd relays" CPU ticks, medians of each).
if [ "$HOSTS" -gt 1 ]; then
  ALL=$(seq -s ' ' "$HOSTS")
  log "timing a deploy to 1 host and to all $HOSTS hosts, alternately ($RUNS runs each, after a warm-up to all) ..."
  for i in $ALL; do reset_site "${SITES[i]}" ""; done
  deploy_to "$ALL" w-all >"$WORK/w-all.log" 2>&1 \
    || { cat "$WORK/w-all.log" >&2; log "FAIL: warm-up to $HOSTS hosts"; exit 1; }
  check_switched w-all
  t_one=() t_all=() b_one=() c_one=() c_all=()
  declare -A b_all=()
  prev=""
  for r in $(seq "$RUNS"); do
    for i in $ALL; do reset_site "${SITES[i]}" "$prev"; done
    [ -z "$prev" ] || rm -rf -- "${SITE:?}/one-$((r - 1))"
    # one host
    b0=$(relay_up_bytes 1)
    c0=($(cpu_all))
    t0=$(now_ms)
    deploy_to 1 "one-$r" >"$WORK/one-$r.log" 2>&1 || { cat "$WORK/one-$r.log" >&2; log "FAIL: one-$r"; exit 1; }
    t_one+=($(( $(now_ms) - t0 )))
    b_one+=($(( $(relay_up_bytes 1) - b0 )))
    c1=($(cpu_all))
    c_one+=("$((c1[0] - c0[0])) $((c1[1] - c0[1])) $((c1[2] - c0[2]))")
    [ "$(readlink "$SITE/production")" = "one-$r" ] || { log "FAIL: one-$r did not switch host 1"; exit 1; }
    reset_site "$SITE" ""
    # all hosts
    for i in $ALL; do b0_host[i]=$(relay_up_bytes "$i"); done
    c0=($(cpu_all))
    t0=$(now_ms)
    deploy_to "$ALL" "all-$r" >"$WORK/all-$r.log" 2>&1 || { cat "$WORK/all-$r.log" >&2; log "FAIL: all-$r"; exit 1; }
    t_all+=($(( $(now_ms) - t0 )))
    line=""
    for i in $ALL; do
      b_all[$i,$r]=$(( $(relay_up_bytes "$i") - b0_host[i] ))
      line+=" ${b_all[$i,$r]}"
    done
    c1=($(cpu_all))
    c_all+=("$((c1[0] - c0[0])) $((c1[1] - c0[1])) $((c1[2] - c0[2]))")
    check_switched "all-$r"
    log "  one-$r: ${t_one[-1]} ms, ${b_one[-1]} bytes client->server; all-$r: ${t_all[-1]} ms, bytes per host:$line"
    prev="all-$r"
  done
  for i in $ALL; do reset_site "${SITES[i]}" "$prev"; done
  rm -rf -- "${SITE:?}/one-$RUNS"
  T_one=$(printf '%s\n' "${t_one[@]}" | median)
  T_all=$(printf '%s\n' "${t_all[@]}" | median)
  B_one=$(printf '%s\n' "${b_one[@]}" | median)
  B_HOST=()
  for i in $ALL; do
    B_HOST[i]=$(for r in $(seq "$RUNS"); do echo "${b_all[$i,$r]}"; done | median)
  done
  median3() { awk '{print $'"$1"'}' | median; } # column N of "client sshd relays" lines
  C_one="$(for k in 1 2 3; do printf '%s\n' "${c_one[@]}" | median3 "$k"; done | xargs)"
  C_all="$(for k in 1 2 3; do printf '%s\n' "${c_all[@]}" | median3 "$k"; done | xargs)"
fi

# checks on the warm-up releases: the counts the generator made, the same content as the build, and seeding by links
read -r exp_added exp_modified exp_removed < "$WORK/big/expected-counts.txt"
read -r got rep_bytes < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
c, b = r["counts"], r["bytes"]
print("%d,%d,%d" % (c["added"], c["modified"], c["removed"]), b["added"] + b["modified"])' "$WORK/report-w-ours/report.json")
if [ "$got" != "$exp_added,$exp_modified,$exp_removed" ]; then
  log "FAIL: deploy found (added,modified,removed) $got, the generator made $exp_added,$exp_modified,$exp_removed"
  exit 1
fi
for kind in ours rsync; do
  diff -r --no-dereference "$WORK/big/build" "$SITE/w-$kind" >/dev/null \
    || { log "FAIL: release w-$kind differs from the build"; exit 1; }
done
read -r linked_ours linked_rsync < <(python3 - "$SITE" <<'PY'
import os, sys
site = sys.argv[1]
def linked(rel):
    n = 0
    for d, _, files in os.walk(os.path.join(site, rel)):
        for f in files:
            p = os.path.join(d, f)
            q = os.path.join(site, "1.0.0", os.path.relpath(p, os.path.join(site, rel)))
            if os.path.lexists(q) and os.path.samefile(p, q):
                n += 1
    return n
print(linked("w-ours"), linked("w-rsync"))
PY
)
if [ "$HOSTS" -gt 1 ]; then
  for i in $ALL; do
    diff -r --no-dereference "$WORK/big/build" "${SITES[i]}/w-all" >/dev/null \
      || { log "FAIL: release w-all on host $i (port ${PORTS[i]}) differs from the build"; exit 1; }
  done
  read -r got_all hosts_all < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
print("%d,%d,%d" % (c["added"], c["modified"], c["removed"]), len(r["hosts"]))' "$WORK/report-w-all/report.json")
  if [ "$got_all" != "$exp_added,$exp_modified,$exp_removed" ] || [ "$hosts_all" != "$HOSTS" ]; then
    log "FAIL: the deploy to $HOSTS hosts found (added,modified,removed) $got_all on $hosts_all hosts, the generator"
    log "      made $exp_added,$exp_modified,$exp_removed"
    exit 1
  fi
fi
bytes_total=$(du -sb --apparent-size "$WORK/big/build" | cut -f1)

python3 - "$FILES" "$bytes_total" "$changed_files" "$changed_bytes" "$rep_bytes" "$T_ours" "$T_rsync" "$B_ours" \
    "$B_rsync" "$linked_ours" "$linked_rsync" "$T_verify" "$B_verify" <<'PY'
import sys
files, total, cfiles, cbytes, rep, t_ours, t_rsync, b_ours, b_rsync, l_ours, l_rsync, t_ver, b_ver = map(
    int, sys.argv[1:])
mb = lambda n: f"{n / 1e6:.2f} MB"
print(f"files {files}, {total / 1e6:.0f} MB; changed: {cfiles} files (added + modified), {mb(cbytes)}"
      f" ({cbytes} bytes; report.json bytes.added + bytes.modified: {rep})")
print(f"files hard-linked to 1.0.0 in the new release: deploy {l_ours}, rsync {l_rsync}")
print("bytes client->server, counted on the TCP connection (so they include SSH framing and key exchange, and for the"
      " deploy its listing, hash and verify commands; for rsync its file list):")
print(f"  deploy {mb(b_ours)} ({b_ours}), rsync -a --link-dest {mb(b_rsync)} ({b_rsync})")
print(f"time (median of the runs, both through the relay): deploy {t_ours / 1000:.2f} s,"
      f" rsync -a --link-dest {t_rsync / 1000:.2f} s")
print("summary:")
print(f"  deploy bytes / changed bytes   {b_ours / cbytes:.3f} (target <= 1.02)")
print(f"  rsync bytes / changed bytes    {b_rsync / cbytes:.3f}")
print(f"  deploy bytes / rsync bytes     {b_ours / b_rsync:.3f}")
print(f"  deploy time / rsync time       {t_ours / t_rsync:.2f}")
print(f"  with --verify-remote: bytes / changed {b_ver / cbytes:.3f}, time / rsync {t_ver / t_rsync:.2f}"
      f" ({t_ver / 1000:.2f} s)")
PY
if [ "$HOSTS" -gt 1 ]; then
  python3 - "$WORK" "$HOSTS" "$RUNS" "$changed_bytes" "$T_one" "$T_all" "$B_one" "$(getconf CLK_TCK)" "$C_one" \
      "$C_all" "${B_HOST[@]}" <<'PY'
import json, statistics, sys
work = sys.argv[1]
hosts, runs, cbytes, t_one, t_all, b_one, tck = map(int, sys.argv[2:9])
c_one, c_all = ([int(x) / tck for x in a.split()] for a in sys.argv[9:11])
per = list(map(int, sys.argv[11:]))


def stages(kind):  # the engine's own timings (report.json), median of the runs, per stage
    runs_ = [json.load(open(f"{work}/report-{kind}-{r}/report.json"))["timings"] for r in range(1, runs + 1)]
    return {k: statistics.median(t.get(k, 0) for t in runs_) for k in runs_[0]}


s_one, s_all = stages("one"), stages("all")
ratios = [b / cbytes for b in per]
print(f"{hosts} servers (each its own sshd on a loopback port, its own relay and document root), the same build,"
      f" medians of {runs} run(s) of each, alternately:")
print(f"  time: deploy to 1 host {t_one / 1000:.2f} s, to {hosts} hosts {t_all / 1000:.2f} s")
print(f"  bytes client->server: 1 host {b_one} ({b_one / cbytes:.3f} of the changed bytes); per server in the deploy"
      f" to {hosts}: min {min(per)}, median {int(statistics.median(per))}, max {max(per)}")
print("  bytes per server / changed bytes: " + " ".join(f"{r:.3f}" for r in ratios))
print(f"  CPU s (user + system): deploy to 1 host: client {c_one[0]:.2f}, sshd {c_one[1]:.2f}, relays"
      f" {c_one[2]:.2f}; to {hosts} hosts: client {c_all[0]:.2f}, sshd {c_all[1]:.2f}, relays {c_all[2]:.2f}"
      f" (all on this machine's cores)")
print(f"  stages, ms, 1 host -> {hosts} hosts (report.json timings; lock, switch and cleanup go host after host): "
      + ", ".join(f"{k.removesuffix('Ms')} {s_one[k]:.0f} -> {s_all.get(k, 0):.0f}" for k in s_one))
print("summary:")
print(f"  {hosts} hosts time / 1 host time          {t_all / t_one:.2f} (target <= 1.5)")
print(f"  bytes per server / changed bytes    min {min(ratios):.3f}, median {statistics.median(ratios):.3f},"
      f" max {max(ratios):.3f} (target: the changed bytes; <= 1.02 for one server)")
PY
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1), $(rsync --version | head -1)"

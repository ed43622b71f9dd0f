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
# Everything talks to 127.0.0.1 only. Usage: bench/deploy-bench.sh   (env: FILES, MODIFIED_PCT, ADDED, REMOVED, RUNS,
# WORK, CFD, KEEP). Needs: a built jar (./mvnw -B -q package -DskipTests), sshd, rsync, python3.
set -euo pipefail

FILES=${FILES:-50000}
MODIFIED_PCT=${MODIFIED_PCT:-1}
ADDED=${ADDED:-50}
REMOVED=${REMOVED:-50}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CFD=${CFD:-"java -jar $ROOT/cli/target/cloudfront-deploy.jar"}
WORK=${WORK:-$(mktemp -d /tmp/cfd-deploy-bench.XXXXXX)}
export LC_ALL=C.UTF-8
SSHD_PID=""
RELAY_PID=""

cleanup() {
  if [ -n "$RELAY_PID" ]; then kill "$RELAY_PID" 2>/dev/null || true; fi
  if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
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

start_sshd() {
  mkdir -p "$WORK/ssh"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh/id"
  cp "$WORK/ssh/id.pub" "$WORK/ssh/authorized_keys"
  SSHD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local SFTP_SERVER=internal-sftp
  [ -x /usr/lib/openssh/sftp-server ] && SFTP_SERVER=/usr/lib/openssh/sftp-server # the tool uploads over SFTP
  cat > "$WORK/ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $SSHD_PORT
HostKey $WORK/ssh/host_key
PidFile $WORK/ssh/sshd.pid
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
  /usr/sbin/sshd -D -e -f "$WORK/ssh/sshd_config" 2>"$WORK/ssh/log" &
  SSHD_PID=$!
  for _ in $(seq 100); do grep -q 'Server listening' "$WORK/ssh/log" && break; sleep 0.1; done
  grep -q 'Server listening' "$WORK/ssh/log" || { cat "$WORK/ssh/log" >&2; exit 1; }
}

# A byte-counting TCP relay 127.0.0.1:PORT -> 127.0.0.1:SSHD_PORT. After every connection opens or closes it rewrites
# STATS with "open-connections connections client-to-server-bytes server-to-client-bytes".
start_relay() {
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
  python3 "$WORK/relay.py" "$SSHD_PORT" "$WORK/relay.port" "$WORK/relay.stats" 2>"$WORK/relay.log" &
  RELAY_PID=$!
  for _ in $(seq 100); do [ -s "$WORK/relay.port" ] && break; sleep 0.1; done
  [ -s "$WORK/relay.port" ] || { cat "$WORK/relay.log" >&2; exit 1; }
  PORT=$(cat "$WORK/relay.port")
  # the clients connect to the relay's port, so that is the port the host key is known under
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$WORK/ssh/host_key.pub")" > "$WORK/ssh/known_hosts"
  SSH="ssh -p $PORT -i $WORK/ssh/id -o UserKnownHostsFile=$WORK/ssh/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes -F /dev/null"
}

# client-to-server bytes counted so far, once no connection is open any more (waits up to 10 s for the last to close)
relay_up_bytes() {
  local open conns up down
  for _ in $(seq 200); do
    read -r open conns up down < "$WORK/relay.stats"
    [ "$open" = 0 ] && break
    sleep 0.05
  done
  [ "$open" = 0 ] || log "warning: $open connection(s) still open through the relay"
  echo "$up"
}

SITE="$WORK/big/www"

reset_live() { # NAME_OF_THE_PREVIOUS_RUN (or empty)
  ln -sfn base "$SITE/production"
  if [ -n "$1" ]; then rm -rf -- "${SITE:?}/$1"; fi
}

ours_deploy() { # RELEASE
  $CFD deploy -q --source "$WORK/big/build" --target "ssh://$USER@127.0.0.1:$PORT$SITE/production" --release "$1" "${@:2}" \
    --identity "$WORK/ssh/id" --known-hosts "$WORK/ssh/known_hosts" --report-dir "$WORK/report-$1" \
    --keep 100 --max-deletes -1 --keep-removed 0
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
start_sshd
start_relay

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

log "timing deploy and rsync over ssh through the relay ($RUNS runs each, after a warm-up) ..."
time_runs ours ours_deploy
time_runs verify ours_verify_deploy
time_runs rsync rsync_deploy

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
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1), $(rsync --version | head -1)"

#!/usr/bin/env bash
# The fault-injection suite of issue 11 (cli FaultInjectionTest) in soak mode: SCENARIOS seeded scenarios (default
# 200; CI runs 20) of deploys killed at points of their output, connections reset or stalled at byte offsets and locks
# broken, each followed by the re-runs and invariant checks the test describes. It prints the totals line
#   faults (seed S): scenarios N, complete releases N/N, stale URLs N, double-billed N
# and, when an invariant broke, each violation with its scenario's schedule. SEED is new every run unless given:
# SEED=<the printed seed> replays the same schedule (the child processes' timing may still vary).
#
# Everything talks to 127.0.0.1 only. Usage: bench/fault-soak.sh   (env: SCENARIOS, SEED, MVN_OFFLINE=-o by default;
# set it empty on a machine whose Maven cache does not hold the dependencies yet). Needs sshd (openssh-server).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCENARIOS=${SCENARIOS:-200}
SEED=${SEED:-$(date +%s)}
MVN_OFFLINE=${MVN_OFFLINE--o}
LOG=$(mktemp /tmp/cfd-fault-soak.XXXXXX.log)
export LC_ALL=C.UTF-8

cd "$ROOT"
echo "fault soak: $SCENARIOS scenarios, seed $SEED; output in $LOG"
status=0
./mvnw $MVN_OFFLINE -B -pl engine,cli -am test -Dtest=FaultInjectionTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfaults.scenarios="$SCENARIOS" -Dfaults.seed="$SEED" >"$LOG" 2>&1 || status=$?
if ! grep -m1 -E '^faults \(seed' "$LOG"; then
  tail -40 "$LOG"
fi
# how often each invariant broke, as the test tallies it
sed -n '/^faults (seed/,/^\[/p' "$LOG" | grep -E '^  [A-Z_]+ +[0-9]+ ' | sort -u || true
exit "$status"

#!/usr/bin/env bash
# A/B of two builds of smtp-server.jar (e.g. before and after a change), both -c sink on loopback, both warm:
# smtp-source runs against each in turn, the order alternating per round; prints server CPU per message
# (utime+stime from /proc/PID/stat) and messages per second for every round, then the medians.
#
#   bench/ab.sh OLD.jar NEW.jar [ROUNDS]           # default 10 rounds of small-100pc
#   WL="-s 20 -l 1024 -m 10000" bench/ab.sh OLD.jar NEW.jar       # small-1pc
#
# Environment: WL (smtp-source arguments; default "-s 20 -d -l 1024 -m 20000"), OPTS_A / OPTS_B (JVM options for
# each server). Needs smtp-source (bench/run.sh installs it). Both servers are stopped on exit.
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOL="$HERE/tools/benchtool.py"
A="$1"; B="$2"; ROUNDS="${3:-10}"
WL="${WL:--s 20 -d -l 1024 -m 20000}"
OPTS_A="${OPTS_A:-}"; OPTS_B="${OPTS_B:-}"
MESSAGES=$(echo "$WL" | sed -n 's/.*-m \([0-9]*\).*/\1/p')
SOURCE=/usr/sbin/smtp-source
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null' EXIT

start() { # jar port opts
    # shellcheck disable=SC2086
    java $3 -jar "$1" -l "127.0.0.1:$2" -c sink >/dev/null 2>&1 &
    PIDS+=($!)
    for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return; sleep 0.05; done
    echo "server on port $2 did not start" >&2; exit 1
}
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # pid port -> "µs/msg msg/s"
    local c0 c1 t0 t1
    c0=$(cpu "$1"); t0=$(date +%s%N)
    # shellcheck disable=SC2086
    timeout 300 "$SOURCE" $WL "127.0.0.1:$2" 2>/dev/null
    c1=$(cpu "$1"); t1=$(date +%s%N)
    # clock ticks are 10 ms: 10,000 µs each
    echo "$(( (c1 - c0) * 10000 / MESSAGES )) $(( MESSAGES * 1000000000 / (t1 - t0) ))"
}

PORT_A=$(python3 "$TOOL" freeport); start "$A" "$PORT_A" "$OPTS_A"; PID_A=${PIDS[0]}
PORT_B=$(python3 "$TOOL" freeport); start "$B" "$PORT_B" "$OPTS_B"; PID_B=${PIDS[1]}
# warm-up, unmeasured: both kinds of session until C2 has compiled the paths
for _ in 1 2 3 4 5 6; do
    for port in "$PORT_A" "$PORT_B"; do
        timeout 300 "$SOURCE" -s 20 -d -l 1024 -m 20000 "127.0.0.1:$port" 2>/dev/null
        timeout 300 "$SOURCE" -s 20 -l 1024 -m 3000 "127.0.0.1:$port" 2>/dev/null
    done
done
RESULTS=()
for i in $(seq "$ROUNDS"); do
    if [ $((i % 2)) = 0 ]; then a=$(run "$PID_A" "$PORT_A"); b=$(run "$PID_B" "$PORT_B")
    else b=$(run "$PID_B" "$PORT_B"); a=$(run "$PID_A" "$PORT_A"); fi
    echo "round $i: A $a  B $b"
    RESULTS+=("$a $b")
done
printf '%s\n' "${RESULTS[@]}" | python3 -c '
import statistics, sys
rows = [list(map(int, line.split())) for line in sys.stdin if line.strip()]
for name, i in (("A", 0), ("B", 2)):
    print(f"{name}: median {statistics.median(r[i] for r in rows)} us/msg, "
          f"{statistics.median(r[i + 1] for r in rows)} msg/s")
'

#!/usr/bin/env bash
# Where our server's time and memory go under one benchmark workload: a JFR recording (Java CPU samples,
# allocation samples) and, when perf works here, a perf profile of the whole process (kernel, JIT-compiled code,
# the JVM's own threads). Writes a markdown summary to stdout and bench/profile-<date>-<workload>.md.
#
#   bench/profile.sh [small-100pc|small-1pc|large|conc500] [SECONDS]     (default: small-100pc 20)
#
# Environment: WARMUP_SECONDS (40), PERF=0 (skip perf), JFR=0 (skip JFR), SERVER_JAVA_OPTS, JAR, KEEP=1 (keep the .jfr, printed).
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TOOL="$HERE/tools/benchtool.py"
WORKLOAD="${1:-small-100pc}"
DURATION="${2:-20}"
WARMUP_SECONDS="${WARMUP_SECONDS:-40}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
STAMP="$(date -u +%Y-%m-%dT%H%M%SZ)"
OUT="${OUT:-$HERE/profile-$STAMP-$WORKLOAD.md}"
WORK="$(mktemp -d /tmp/smtpd-profile.XXXXXX)"
SERVER_PID=""
PERF_PID=""

cleanup() {
    local pid
    for pid in $PERF_PID $SERVER_PID; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    if [ "${KEEP:-0}" = 1 ]; then echo "kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=tools/prereq.sh
. "$HERE/tools/prereq.sh"
[ "$HAVE_JCMD" = 1 ] || die "jcmd is needed (a JDK, not a JRE)"
command -v jfr >/dev/null || die "jfr is needed (a JDK)"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

case "$WORKLOAD" in
    small-100pc) OPTS="-s 20 -d -l 1024"; MSGS=2000 ;;
    small-1pc) OPTS="-s 20 -l 1024"; MSGS=2000 ;;
    large) OPTS="-s 4 -d -l 1048576"; MSGS=40 ;;
    conc500) OPTS="-s 500 -d -l 1024"; MSGS=5000 ;;
    *) die "unknown workload $WORKLOAD" ;;
esac
load_for() { # SECONDS: repeat the workload until the time is up; prints the messages sent
    local deadline=$((SECONDS + $1)) sent=0
    while ((SECONDS < deadline)); do
        # shellcheck disable=SC2086
        timeout 120 "$SOURCE" $OPTS -m "$MSGS" "127.0.0.1:$PORT" >>"$WORK/source.log" 2>&1 || break
        sent=$((sent + MSGS))
    done
    echo "$sent"
}

PORT=$(python3 "$TOOL" freeport)
# DebugNonSafepoints: samples attributed to the right inlined method
# shellcheck disable=SC2086
# DumpPerfMapAtExit: /tmp/perf-PID.map names the JIT-compiled methods for perf
java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+DumpPerfMapAtExit $SERVER_JAVA_OPTS -jar "$JAR" -l "127.0.0.1:$PORT" -c sink \
    >/dev/null 2>"$WORK/server.err" &
SERVER_PID=$!
python3 "$TOOL" waitport "$PORT" 60 "$SERVER_PID" || { tail "$WORK/server.err" >&2; die "server did not start"; }
log "warming up for ${WARMUP_SECONDS}s"
load_for "$WARMUP_SECONDS" >/dev/null

if [ "${JFR:-1}" = 1 ]; then
    jcmd "$SERVER_PID" JFR.start name=bench settings=profile filename="$WORK/rec.jfr" >/dev/null \
        || die "JFR.start failed"
fi
PERF_OK=0
if [ "${PERF:-1}" = 1 ] && command -v perf >/dev/null && perf stat -e task-clock true >/dev/null 2>&1; then
    # from 2 s in: JFR's start (instrumentation, recompilation) is not what we want to see
    (sleep 2; exec perf record -F 499 -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep $((DURATION > 4 ? DURATION - 3 : 1))) \
        >"$WORK/perf.log" 2>&1 &
    PERF_PID=$!
    PERF_OK=1
fi
read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$SERVER_PID/stat")
t0=$(date +%s.%N)
log "profiling ${DURATION}s of $WORKLOAD"
SENT=$(load_for "$DURATION")
t1=$(date +%s.%N)
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$SERVER_PID/stat")
if [ "${JFR:-1}" = 1 ]; then jcmd "$SERVER_PID" JFR.stop name=bench >/dev/null || die "JFR.stop failed"; fi
[ -n "$PERF_PID" ] && { wait "$PERF_PID"; PERF_PID=""; }
TCK=$(getconf CLK_TCK)
RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
# stop the server now: the JVM writes its perf map as it exits
kill -TERM "$SERVER_PID"
for _ in $(seq 75); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
wait "$SERVER_PID" 2>/dev/null
PERF_MAP="/tmp/perf-$SERVER_PID.map"
SERVER_PID=""   # reaped: its number may be reused, never signal it again

{
    echo "# Profile of smtp-server.jar -c sink under $WORKLOAD"
    echo
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
    echo "- smtp-source $OPTS, $SENT messages in $(echo "$t1 - $t0" | bc | cut -c1-5) s after ${WARMUP_SECONDS} s of warm-up;" \
         "server CPU $(( (u1 - u0 + s1 - s0) * 1000000 / TCK / (SENT > 0 ? SENT : 1) )) µs per message" \
         "(user $(( (u1 - u0) * 1000000 / TCK / (SENT > 0 ? SENT : 1) )), system $(( (s1 - s0) * 1000000 / TCK / (SENT > 0 ? SENT : 1) ))); RSS $((RSS / 1024)) MB"
    echo
    if [ "$PERF_OK" = 1 ]; then
        echo "## perf: the whole process (kernel, JIT-compiled Java, the JVM's own threads)"
        echo
        echo '```'
        echo "by thread:"
        perf report -i "$WORK/perf.data" --sort comm --stdio --no-children -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12
        echo
        echo "by binary ([JIT] = compiled Java code, libjvm.so = JIT compilers, GC, runtime):"
        perf report -i "$WORK/perf.data" --sort dso --stdio --no-children -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -10
        echo
        echo '```'
        echo
        perf report -i "$WORK/perf.data" --sort dso,sym --stdio --no-children -g none 2>/dev/null | python3 "$HERE/tools/perf_groups.py"
        echo
        echo '```'
        echo "top symbols (Java methods named from the JVM's perf map, inlined callees count in their caller):"
        perf report -i "$WORK/perf.data" --sort dso,sym --stdio --no-children -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -45
        echo '```'
        echo
    fi
    if [ "${JFR:-1}" = 1 ]; then
        echo "## JFR"
        echo
        python3 "$HERE/tools/jfr_summary.py" "$WORK/rec.jfr" 25
    fi
} | tee "$OUT"
rm -f "$PERF_MAP"
log "written to $OUT"

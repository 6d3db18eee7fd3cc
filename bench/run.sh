#!/usr/bin/env bash
# Benchmark: smtp-server.jar --handler sink against Postfix's smtp-sink, both driven by Postfix's smtp-source on
# loopback, interleaved within each round; per-round ratios ours/theirs. See bench/README.md.
#
#   bench/run.sh                 # 3 rounds, 3-6 minutes on 2 cores
#   ROUNDS=5 bench/run.sh
#   QUICK=1 bench/run.sh         # 1 round, a quarter of the messages, 3 ready launches (~1.5 min)
#
# Environment: ROUNDS; QUICK; WARMUP=0 (skip the unmeasured warm-up of our JVM); WARMUP_MESSAGES (50000 at least,
# then until a cycle of ~10000 messages triggers < 15 JIT compilations; at most WARMUP_MAX_SECONDS, 75);
# ORDER=fixed (always ours first; default: alternate which server goes first per round); IDLE_CONNS (5000);
# READY_RUNS (5); SERVER_JAVA_OPTS (extra JVM options for our server); JAR (server jar); OUT (report file).
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
TOOL="$HERE/tools/benchtool.py"
QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
    ROUNDS="${ROUNDS:-1}"; SCALE=4; IDLE_CONNS="${IDLE_CONNS:-5000}"; READY_RUNS="${READY_RUNS:-3}"
else
    ROUNDS="${ROUNDS:-3}"; SCALE=1; IDLE_CONNS="${IDLE_CONNS:-5000}"; READY_RUNS="${READY_RUNS:-5}"
fi
WARMUP="${WARMUP:-1}"
WARMUP_MESSAGES="${WARMUP_MESSAGES:-50000}"      # at least; then until the JIT settles
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-$((QUICK == 1 ? 45 : 75))}"
ORDER="${ORDER:-alternate}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
RUN_TIMEOUT=300                       # seconds, per smtp-source invocation
STAMP="$(date -u +%Y-%m-%dT%H%M%SZ)"
OUT="${OUT:-$HERE/results-$STAMP.md}"
WORK="$(mktemp -d /tmp/smtpd-bench.XXXXXX)"
PIDS=()

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            kill -KILL "$pid" 2>/dev/null
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- prerequisites ---------------------------------------------------------------------------------------------
# shellcheck source=tools/prereq.sh
. "$HERE/tools/prereq.sh"

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" -ge $((IDLE_CONNS + 1000)) ] || die "ulimit -n is $(ulimit -n): too low for $IDLE_CONNS idle connections"
CLK_TCK="$(getconf CLK_TCK)"
TIMER=(); [ -x /usr/bin/time ] && TIMER=(/usr/bin/time -a -o "$WORK/client.time" -f '%U %S')   # client CPU
SINK_USER=(); [ "$(id -u)" = 0 ] && SINK_USER=(-u root)

# ---- workloads -------------------------------------------------------------------------------------------------
# name | smtp-source options | messages per invocation | invocations | payload bytes
# small-100pc: 20 sessions kept open (-d), 100 messages per connection: each invocation sends 2000 messages,
#              repeated to get a measurable duration.
WORKLOADS=(
    "small-100pc|-s 20 -d -l 1024|2000|$((10 / SCALE + (SCALE > 1)))|1024"
    "small-1pc|-s 20 -l 1024|$((10000 / SCALE))|1|1024"
    "large|-s 4 -d -l 1048576|$((200 / SCALE))|1|1048576"
    "conc500|-s 500 -d -l 1024|$((20000 / SCALE))|1|1024"
)

# utime and stime of a process in clock ticks (the comm field has no spaces here: java, smtp-sink)
cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat" 2>/dev/null || echo 0 0; }
# read-like and write-like system calls of a process so far (read(2)/write(2) on sockets count)
io_calls() { awk '$1 == "syscr:" {r = $2} $1 == "syscw:" {w = $2} END {print r + 0, w + 0}' "/proc/$1/io" 2>/dev/null || echo 0 0; }
now() { date +%s.%N; }

# run_load SERVER PORT PID ROUND WORKLOAD ... appends one TSV row to $WORK/runs.tsv
run_load() {
    local server=$1 port=$2 pid=$3 round=$4 name=$5 opts=$6 msgs=$7 reps=$8 bytes=$9
    local u0 s0 u1 s1 r0 w0 r1 w1 t0 t1 rc=0 i cu cs total
    read -r r0 w0 < <(io_calls "$pid"); read -r u0 s0 < <(cpu_ticks "$pid"); t0=$(now)
    : >"$WORK/client.time"
    for ((i = 0; i < reps; i++)); do
        # shellcheck disable=SC2086
        "${TIMER[@]}" timeout "$RUN_TIMEOUT" "$SOURCE" $opts -m "$msgs" "127.0.0.1:$port" \
            >>"$WORK/source.log" 2>&1 || rc=$?
        [ "$rc" = 0 ] || break
    done
    t1=$(now); read -r u1 s1 < <(cpu_ticks "$pid"); read -r r1 w1 < <(io_calls "$pid")
    read -r cu cs < <(awk '/^[0-9.]+ [0-9.]+$/ {u += $1; s += $2} END {printf "%.2f %.2f\n", u, s}' "$WORK/client.time")
    total=$((msgs * reps))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$server" "$total" \
        "$bytes" "$(echo "$t1 - $t0" | bc)" "$((u1 - u0))" "$((s1 - s0))" "$cu" "$cs" "$((r1 - r0))" "$((w1 - w0))" \
        "$rc" >>"$WORK/runs.tsv"
    awk -v n="$total" -v w="$(echo "$t1 - $t0" | bc)" -v s="$server" -v nm="$name" -v rc="$rc" \
        -v cpu="$(((u1 - u0 + s1 - s0) * 1000000 / CLK_TCK))" \
        'BEGIN {printf "  %-11s %-6s %6d msgs %7.2fs %9.0f msg/s  server %5.1f us/msg  rc=%s\n", nm, s, n, w, n / w, cpu / n, rc}' >&2
}

start_ours() {   # -> sets OURS_PID OURS_PORT
    OURS_PORT=$(python3 "$TOOL" freeport)
    # shellcheck disable=SC2086
    java $SERVER_JAVA_OPTS -jar "$JAR" -l "127.0.0.1:$OURS_PORT" -c sink >"$WORK/ours.out" 2>>"$WORK/ours.err" &
    OURS_PID=$!; PIDS+=("$OURS_PID")
    python3 "$TOOL" waitport "$OURS_PORT" 60 "$OURS_PID" || { tail -20 "$WORK/ours.err" >&2; die "our server did not start"; }
}
start_theirs() { # -> sets SINK_PID SINK_PORT
    SINK_PORT=$(python3 "$TOOL" freeport)
    "$SINK" "${SINK_USER[@]}" -m $((IDLE_CONNS + 1000)) "127.0.0.1:$SINK_PORT" 1024 >"$WORK/sink.out" 2>&1 &
    SINK_PID=$!; PIDS+=("$SINK_PID")
    python3 "$TOOL" waitport "$SINK_PORT" 30 "$SINK_PID" || { cat "$WORK/sink.out" >&2; die "smtp-sink did not start"; }
}
stop_pid() {
    local pid=$1 p keep=()
    if kill -TERM "$pid" 2>/dev/null; then
        for _ in $(seq 75); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    # reaped: its number may be reused by another process, so the exit trap must not signal it
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
    return 0
}

compilations() { jstat -compiler "$1" 2>/dev/null | awk 'NR == 2 {print $1}'; }
warm_up() { # unmeasured: until the JIT has settled (a cycle of ~10000 messages triggers < 15 compilations)
    local port=$1 pid=$2 sent=0 deadline=$((SECONDS + WARMUP_MAX_SECONDS)) c0 c1 quiet=0 settled
    c0=$(compilations "$pid")
    while ((SECONDS < deadline)); do
        timeout 60 "$SOURCE" -s 20 -d -l 1024 -m 4000 "127.0.0.1:$port" >/dev/null 2>&1
        # the per-connection paths run once per session: they need as many sessions to get compiled
        timeout 60 "$SOURCE" -s 20 -l 1024 -m 4000 "127.0.0.1:$port" >/dev/null 2>&1
        timeout 60 "$SOURCE" -s 4 -d -l 1048576 -m 20 "127.0.0.1:$port" >/dev/null 2>&1
        timeout 60 "$SOURCE" -s 200 -d -l 1024 -m 2000 "127.0.0.1:$port" >/dev/null 2>&1
        sent=$((sent + 10020))
        c1=$(compilations "$pid")
        if [ -n "$c0" ] && [ -n "$c1" ]; then
            if ((c1 - c0 < 15)); then quiet=$((quiet + 1)); else quiet=0; fi
            c0=$c1
        fi
        settled=$quiet; [ -z "$c1" ] && settled=1     # no jstat: the message count alone decides
        ((sent >= WARMUP_MESSAGES && settled > 0)) && break
    done
    log "  warm-up: $sent messages, $(compilations "$pid") JIT compilations so far$( ((SECONDS >= deadline)) && echo ' (time limit reached)')"
    echo "warmup_round_$round=$sent messages" >>"$WORK/meta"
}

# ---- header ----------------------------------------------------------------------------------------------------
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "mem=$(free -g | awk '/^Mem:/ {print $2 " GiB total, " $7 " GiB available"}')"
    echo "java=$(java -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "postfix=$(dpkg-query -W -f '${Version}' postfix 2>/dev/null)"
    echo "git=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null)$(cd "$ROOT" && [ -n "$(git status --porcelain -- smtp-api smtp-impl smtp-app 2>/dev/null)" ] && echo ' (server sources modified)')"
    echo "jar=$(stat -c '%y' "$JAR_SRC" | cut -d. -f1)"
    echo "rounds=$ROUNDS"; echo "quick=$QUICK"; echo "warmup=$WARMUP"; echo "warmup_messages=$WARMUP_MESSAGES"; echo "order=$ORDER"
    echo "server_java_opts=$SERVER_JAVA_OPTS"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$WORK/meta"
printf 'round\tworkload\tserver\tmsgs\tbytes\twall\tcpu_user_ticks\tcpu_sys_ticks\tclient_user\tclient_sys\tsyscr\tsyscw\trc\n' >"$WORK/runs.tsv"
printf 'round\tserver\tconnections\tfailed\trss_before_kb\trss_after_kb\theap_before_kb\theap_after_kb\tthreads_before\tthreads_after\topen_seconds\trss_before_settled_kb\trss_after_settled_kb\n' >"$WORK/idle.tsv"
echo "clk_tck=$CLK_TCK" >>"$WORK/meta"

# ---- ready time ------------------------------------------------------------------------------------------------
log "ready time: $READY_RUNS launches"
# shellcheck disable=SC2086
python3 "$TOOL" ready "$READY_RUNS" -- java $SERVER_JAVA_OPTS -jar "$JAR" -l '127.0.0.1:{port}' -c sink >"$WORK/ready.txt" \
    || log "ready measurement failed"

# ---- rounds ----------------------------------------------------------------------------------------------------
idle_measure() { # SERVER PORT PID ROUND [java]
    local server=$1 port=$2 pid=$3 round=$4 kind=${5:-}
    local out
    out=$(timeout 300 python3 "$TOOL" idle "$port" "$IDLE_CONNS" "$pid" $kind) || log "idle client failed"
    local get; get() { printf '%s\n' "$out" | awk -F= -v k="$1" '$1 == k {print $2}'; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$(get connections)" \
        "$(get failed)" "$(get rss_before_kb)" "$(get rss_after_kb)" "$(get heap_before_kb)" "$(get heap_after_kb)" \
        "$(get threads_before)" "$(get threads_after)" "$(get open_seconds)" "$(get rss_before_settled_kb)" \
        "$(get rss_after_settled_kb)" >>"$WORK/idle.tsv"
    log "  idle $server: $(printf '%s' "$out" | tr '\n' ' ')"
}

for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round/$ROUNDS (load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "load_round_$round=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/meta"
    start_ours; start_theirs
    if [ "$WARMUP" = 1 ]; then warm_up "$OURS_PORT" "$OURS_PID"; fi   # smtp-sink is C: nothing to warm
    if [ "$ORDER" = alternate ] && ((round % 2 == 0)); then order=(theirs ours); else order=(ours theirs); fi
    for w in "${WORKLOADS[@]}"; do
        IFS='|' read -r name opts msgs reps bytes <<<"$w"
        for who in "${order[@]}"; do
            if [ "$who" = ours ]; then
                run_load ours "$OURS_PORT" "$OURS_PID" "$round" "$name" "$opts" "$msgs" "$reps" "$bytes"
            else
                run_load sink "$SINK_PORT" "$SINK_PID" "$round" "$name" "$opts" "$msgs" "$reps" "$bytes"
            fi
        done
    done
    stop_pid "$OURS_PID"; stop_pid "$SINK_PID"
    # idle: on freshly started servers, so that what earlier workloads did to the heap does not hide the cost
    for who in "${order[@]}"; do
        if [ "$who" = ours ]; then
            start_ours; sleep 1
            idle_measure ours "$OURS_PORT" "$OURS_PID" "$round" $([ "$HAVE_JCMD" = 1 ] && echo java)
            stop_pid "$OURS_PID"
        else
            start_theirs; sleep 1
            idle_measure sink "$SINK_PORT" "$SINK_PID" "$round"
            stop_pid "$SINK_PID"
        fi
    done
done
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$WORK/meta"
if grep -qiE 'fatal|error' "$WORK/source.log" 2>/dev/null; then
    echo "source_errors=$(grep -ciE 'fatal|error' "$WORK/source.log")" >>"$WORK/meta"
    grep -iE 'fatal|error' "$WORK/source.log" | sort | uniq -c | head -5 >&2
fi

python3 "$HERE/tools/report.py" "$WORK" | tee "$OUT"
log "report written to $OUT"

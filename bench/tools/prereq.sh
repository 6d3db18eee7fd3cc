# Sourced by bench/run.sh and bench/profile.sh. Needs: ROOT, WORK. Sets: SOURCE, SINK, JAR (a private copy),
# JAR_SRC, HAVE_JCMD. Installs Postfix's test tools and builds smtp-server.jar when missing.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

if [ ! -x /usr/sbin/smtp-source ] || [ ! -x /usr/sbin/smtp-sink ]; then
    log "installing postfix (preseeded 'No configuration': no mail system is configured or started)"
    echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
    if ! as_root env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postfix >"$WORK/apt.log" 2>&1; then
        as_root timeout 300 apt-get update -q >>"$WORK/apt.log" 2>&1
        as_root env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q postfix >>"$WORK/apt.log" 2>&1 \
            || { cat "$WORK/apt.log" >&2; die "apt-get install postfix failed"; }
    fi
fi
SOURCE=/usr/sbin/smtp-source
SINK=/usr/sbin/smtp-sink
command -v java >/dev/null || die "java not found"
command -v python3 >/dev/null || die "python3 not found"
HAVE_JCMD=0; command -v jcmd >/dev/null && HAVE_JCMD=1

JAR_SRC="${JAR:-$ROOT/smtp-app/target/smtp-server.jar}"
if [ ! -f "$JAR_SRC" ]; then
    log "building smtp-server.jar (mvn -q -DskipTests package)"
    (cd "$ROOT" && timeout 1200 mvn -q -DskipTests package) || die "build failed"
fi
# a private copy: a concurrent rebuild must not change the jar under a running server
JAR="$WORK/smtp-server.jar"
cp "$JAR_SRC" "$JAR" || die "cannot copy $JAR_SRC"

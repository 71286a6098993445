# Shared helpers for the local infrastructure scripts. Sourced, not run.
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_DIR="$(cd "$INFRA_DIR/../.." && pwd)"
# shellcheck source=../versions.env
source "$INFRA_DIR/versions.env"

# Profiles keep `npm test` from touching the data of a running `npm start`:
#   dev  - default ports, data kept between runs, Temporal Web UI on
#   test - ports + 10000, data wiped at every `up`, no UI
#   bench - ports + 20000, data wiped at every `up`, no UI (`npm run bench` / `npm run drill`:
#           every run starts from empty servers, so runs compare, and never touches dev or test)
ECD_INFRA_PROFILE="${ECD_INFRA_PROFILE:-dev}"
case "$ECD_INFRA_PROFILE" in
  dev) PORT_OFFSET=0 ;;
  test) PORT_OFFSET=10000 ;;
  bench) PORT_OFFSET=20000 ;;
  *) echo "infra: unknown ECD_INFRA_PROFILE '$ECD_INFRA_PROFILE' (use dev, test or bench)" >&2; exit 2 ;;
esac
KAFKA_PORT="${KAFKA_PORT:-$((9092 + PORT_OFFSET))}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((9093 + PORT_OFFSET))}"
TEMPORAL_PORT="${TEMPORAL_PORT:-$((7233 + PORT_OFFSET))}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-$((8233 + PORT_OFFSET))}"
FERRETDB_PORT="${FERRETDB_PORT:-$((27017 + PORT_OFFSET))}"

# Downloads and builds are shared by every checkout (a fresh clone reuses them); runtime state
# (data, logs, pids) belongs to this checkout and profile.
CACHE_DIR="${ECD_INFRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecd-referral-infra}"
STATE_DIR="${ECD_INFRA_STATE:-$REPO_DIR/.infra/$ECD_INFRA_PROFILE}"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
DATA_DIR="$STATE_DIR/data"

say() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

require_command() { # name, how to get it
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

require_java17() {
  require_command java "install a Java 17+ runtime (apt-get install openjdk-17-jre-headless)"
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /,"",$2); print $2}')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 not found (java reports version '$major'); install openjdk-17"
}

# Which process listens on a TCP port (empty when free).
port_owner() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_port_free() { # port, what
  local port=$1 what=$2
  if port_open "$port"; then
    local pid
    pid=$(port_owner "$port")
    local owner="another process"
    [ -n "$pid" ] && owner="pid $pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo unknown))"
    die "port $port (for $what) is used by $owner; stop it or set ${3:-the port variable} to another port"
  fi
}

pid_file() { echo "$PID_DIR/$1.pid"; }

# A process's identity: the boot it belongs to and its start time (clock ticks after boot, field 22
# of /proc/<pid>/stat; an exec keeps it). A pid file records "<pid> <identity>", so a pid reused by
# another program (after a crash or a machine restart) is never mistaken for ours and never killed.
# infra/local/stack/service-processes.ts reads and writes the same format (processIdentity).
process_identity() { # pid -> prints the identity, fails when no such process
  local stat rest
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  rest=${stat##*) }
  # shellcheck disable=SC2086
  set -- $rest
  shift 19
  printf '%s/%s\n' "$(cat /proc/sys/kernel/random/boot_id)" "$1"
}

record_pid() { # name pid
  mkdir -p "$PID_DIR"
  printf '%s %s\n' "$2" "$(process_identity "$2" || echo gone)" > "$(pid_file "$1")"
}

running_pid() { # name -> prints pid if the recorded process is alive and is the one recorded
  local f pid identity
  f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  read -r pid identity < "$f" || true
  if [ -n "$pid" ] && [ -n "$identity" ] && [ "$(process_identity "$pid" 2>/dev/null)" = "$identity" ]; then
    echo "$pid"; return 0
  fi
  # A pid file of an older checkout (no identity): ours only if its command line names this state dir.
  if [ -n "$pid" ] && [ -z "$identity" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE_DIR"; then
    echo "$pid"; return 0
  fi
  # Gone, or the pid now belongs to another program (a crash, a reboot): forget it, never signal it.
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "forgetting $f: pid $pid now belongs to another program ($(ps -o comm= -p "$pid" 2>/dev/null || echo unknown)); it is left alone"
  fi
  rm -f "$f"
  return 1
}

# Starts a command in its own session, logs to a file, records its pid.
spawn() { # name logfile command...
  local name=$1 log=$2; shift 2
  mkdir -p "$PID_DIR" "$LOG_DIR"
  setsid "$@" >>"$log" 2>&1 < /dev/null &
  record_pid "$name" $!
}

wait_until() { # seconds, description, logfile, name, test-command...
  local seconds=$1 what=$2 log=$3 name=$4; shift 4
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! running_pid "$name" >/dev/null; then
      die "$what exited during start-up; last lines of $log:
$(tail -n 15 "$log" 2>/dev/null)"
    fi
    [ $SECONDS -lt $deadline ] || die "$what did not become ready within ${seconds}s; see $log"
    sleep 0.5
  done
}

stop_by_pid() { # name what [seconds before SIGKILL]
  local name=$1 what=$2 grace=${3:-10} pid
  if pid=$(running_pid "$name"); then
    kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 $((grace * 4))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; fi
    rm -f "$(pid_file "$name")"
    say "$what stopped (pid $pid)"
  fi
}

render() { # template output key=value...
  local tmpl=$1 out=$2; shift 2
  local content
  content=$(cat "$tmpl")
  for kv in "$@"; do content=${content//@${kv%%=*}@/${kv#*=}}; done
  printf '%s\n' "$content" > "$out"
}

# shellcheck shell=bash
# Sourced by the deploy/cluster scripts: the run directory, class paths, and the lifecycle of a
# java process recorded in a PID file. Every process binds 127.0.0.1 only.

CLUSTER_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUN_DIR=${CKV_CLUSTER_DIR:-/tmp/collectivekv-cluster}
JAVA=${JAVA:-java}
SCRIPT=$(basename "$0")

die() {
  echo "$SCRIPT: $*" >&2
  exit 1
}

# The file holding the class path of a process kind (flink | kafka), resolved by Maven from
# deploy/cluster/pom.xml on first use and again whenever that POM changes.
classpath_file() {
  local kind=$1 file="$RUN_DIR/$1.classpath"
  if [[ ! -s "$file" || "$CLUSTER_HOME/pom.xml" -nt "$file" ]]; then
    mkdir -p "$RUN_DIR"
    echo "$SCRIPT: resolving the $kind class path (mvn -f deploy/cluster/pom.xml -P $kind) ..." >&2
    mvn -B -q -f "$CLUSTER_HOME/pom.xml" -P "$kind" dependency:build-classpath \
      -Dmdep.outputFile="$file.tmp" >&2 || die "could not resolve the $kind class path (see Maven's output above)"
    mv "$file.tmp" "$file"
  fi
  echo "$file"
}

# The class path of a process kind itself.
classpath() {
  local file
  file=$(classpath_file "$1") || exit 1
  cat "$file"
}

# Copies a template to a file, replacing each @NAME@ by its value: render TEMPLATE OUT NAME=VALUE...
render() {
  local text out=$2 kv
  text=$(<"$1")
  shift 2
  for kv in "$@"; do
    text=${text//"@${kv%%=*}@"/"${kv#*=}"}
  done
  printf '%s\n' "$text" >"$out"
}

# The PID in a PID file if that process is alive and is ours (its command line names the run
# directory, which guards against a recycled PID); nothing otherwise.
live_pid() {
  local pidfile=$1 pid
  [[ -f "$pidfile" ]] || return 1
  pid=$(<"$pidfile")
  [[ "$(ps -o args= -p "$pid" 2>/dev/null)" == *"$RUN_DIR"* ]] || return 1
  echo "$pid"
}

# Starts a java process in the background, detached from this shell's stdin, with its stdout and
# stderr in OUTFILE; `$!` is the java process itself (exec'd, no subshell), so it goes to PIDFILE.
# start_java PIDFILE OUTFILE java-args...
start_java() {
  local pidfile=$1 outfile=$2
  shift 2
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$outfile")"
  nohup "$JAVA" "$@" </dev/null >"$outfile" 2>&1 &
  echo $! >"$pidfile"
}

# TERM, then KILL after a grace period: stop_pid PIDFILE NAME [GRACE_SECONDS]
stop_pid() {
  local pidfile=$1 name=$2 grace=${3:-20} pid i
  if ! pid=$(live_pid "$pidfile"); then
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$SCRIPT: $name (pid $pid) still running after ${grace} s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
  echo "$name stopped (pid $pid)"
}

# Fails with the log's last lines if the process of PIDFILE has died: check_alive PIDFILE NAME LOG
check_alive() {
  if ! live_pid "$1" >/dev/null; then
    echo "$SCRIPT: $2 exited during start; last lines of $3:" >&2
    tail -n 20 "$3" >&2 || true
    exit 1
  fi
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

#!/usr/bin/env bash
# A Flink 2.2 session cluster as separate JVMs on 127.0.0.1 (one JobManager, two TaskManagers),
# without the Flink distribution: the class path comes from deploy/cluster/pom.xml, and this
# script does what Flink's start scripts would (memory flags, JVM options, logs, PID files).
#
#   deploy/cluster/flink.sh start|stop|status
#   deploy/cluster/flink.sh kill-tm N    kill -9 TaskManager N (1 or 2), as a crash would
#   deploy/cluster/flink.sh start-tm N   start TaskManager N again and wait until it registers
#   deploy/cluster/flink.sh classpath    the cluster's class path, resolved if needed
#
# Environment: FLINK_REST_PORT (default 8081), FLINK_RPC_PORT (JobManager RPC, default 6123),
# CKV_CLUSTER_DIR (run directory, default /tmp/collectivekv-cluster: flink/ holds the generated
# config.yaml, logs, PID files and temp dirs; checkpoints/ and savepoints/ beside it),
# FLINK_START_TIMEOUT seconds (default 120).
set -euo pipefail
# shellcheck source=deploy/cluster/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REST_PORT=${FLINK_REST_PORT:-8081}
RPC_PORT=${FLINK_RPC_PORT:-6123}
TIMEOUT=${FLINK_START_TIMEOUT:-120}
TASKMANAGERS=(1 2)
DIR=$RUN_DIR/flink
CONF=$DIR/conf
LOGS=$DIR/logs
REST=http://127.0.0.1:$REST_PORT

configure() {
  mkdir -p "$CONF" "$LOGS" "$RUN_DIR/checkpoints" "$RUN_DIR/savepoints"
  render "$CLUSTER_HOME/flink-config.yaml" "$CONF/config.yaml" \
    RUN_DIR="$RUN_DIR" REST_PORT="$REST_PORT" RPC_PORT="$RPC_PORT"
}

# Flink's memory model turned into JVM flags (line 1) and -D properties (line 2), as Flink's own
# scripts get them: without them a TaskManager refuses to start and a JobManager takes 1/4 of RAM.
resource_params() {
  local cp
  cp=$(classpath flink)
  "$JAVA" -Dlog.file="$LOGS/bash-java-utils.log" -Dlog4j.configurationFile="$CLUSTER_HOME/log4j2.properties" \
    -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF" \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

# start_process NAME MAIN_CLASS EXTRA_ARGS...: a JVM with its own, freshly wiped temp dir (a
# kill -9 leaves ~20 MB of RPC jars behind), its log file and its PID file.
start_process() {
  local name=$1 main=$2 params jvm_flags dynamic cp opts
  shift 2
  case "$name" in
    jobmanager) params=$(resource_params GET_JM_RESOURCE_PARAMS) ;;
    *) params=$(resource_params GET_TM_RESOURCE_PARAMS) ;;
  esac
  [[ $(wc -l <<<"$params") -eq 2 ]] || die "no memory settings for $name; see $LOGS/bash-java-utils.log"
  jvm_flags=$(sed -n 1p <<<"$params")
  dynamic=$(sed -n 2p <<<"$params")
  opts=$(sed -n 's/^env\.java\.opts\.all: *//p' "$CONF/config.yaml")
  cp=$(classpath flink)
  rm -rf "$DIR/tmp/$name"
  mkdir -p "$DIR/tmp/$name"
  # The flag strings are word lists by design (Flink's scripts expand them the same way).
  # shellcheck disable=SC2086
  start_java "$DIR/$name.pid" "$LOGS/$name.out" $jvm_flags $opts \
    -Djava.io.tmpdir="$DIR/tmp/$name" -Dlog.file="$LOGS/$name.log" \
    -Dlog4j.configurationFile="$CLUSTER_HOME/log4j2.properties" \
    -cp "$cp" "$main" --configDir "$CONF" $dynamic -D io.tmp.dirs="$DIR/tmp/$name" "$@"
}

start_taskmanager() {
  start_process "taskmanager-$1" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    -D taskmanager.resource-id="taskmanager-$1"
}

# The resource ids of the TaskManagers registered at the JobManager, one per line.
registered_taskmanagers() {
  local json
  json=$(curl -sf --max-time 5 "$REST/taskmanagers") || return 1
  python3 -c 'import json, sys; print("\n".join(tm["id"] for tm in json.load(sys.stdin)["taskmanagers"]))' <<<"$json"
}

# Waits until the named TaskManagers are registered; fails as soon as one of the processes exits.
# await_taskmanagers N...
await_taskmanagers() {
  local deadline=$((SECONDS + TIMEOUT)) registered n missing
  while ((SECONDS < deadline)); do
    check_alive "$DIR/jobmanager.pid" jobmanager "$LOGS/jobmanager.log"
    missing=0
    registered=$(registered_taskmanagers || true)
    for n in "$@"; do
      check_alive "$DIR/taskmanager-$n.pid" "taskmanager-$n" "$LOGS/taskmanager-$n.log"
      grep -qx "taskmanager-$n" <<<"$registered" || missing=1
    done
    ((missing)) || return 0
    sleep 0.5
  done
  die "TaskManager(s) $* not registered at $REST within $TIMEOUT s; logs in $LOGS"
}

start() {
  local pid n
  if pid=$(live_pid "$DIR/jobmanager.pid"); then
    echo "flink already running (jobmanager pid $pid); REST on $REST"
    return 0
  fi
  for n in "${TASKMANAGERS[@]}"; do
    if pid=$(live_pid "$DIR/taskmanager-$n.pid"); then
      die "taskmanager-$n (pid $pid) still runs without its jobmanager; '$SCRIPT stop' first"
    fi
  done
  port_open "$REST_PORT" && die "127.0.0.1:$REST_PORT is already in use (set FLINK_REST_PORT)"
  port_open "$RPC_PORT" && die "127.0.0.1:$RPC_PORT is already in use (set FLINK_RPC_PORT)"
  configure
  # A failed start leaves nothing running.
  trap 'stop >/dev/null 2>&1' EXIT
  start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
  for n in "${TASKMANAGERS[@]}"; do
    start_taskmanager "$n"
  done
  await_taskmanagers "${TASKMANAGERS[@]}"
  trap - EXIT
  echo "flink running: jobmanager (pid $(<"$DIR/jobmanager.pid")) and ${#TASKMANAGERS[@]} taskmanagers;" \
    "REST and web UI on $REST; logs in $LOGS"
}

stop() {
  local n
  for n in "${TASKMANAGERS[@]}"; do
    stop_pid "$DIR/taskmanager-$n.pid" "taskmanager-$n"
  done
  stop_pid "$DIR/jobmanager.pid" jobmanager
}

status() {
  local name pid registered down=0
  for name in jobmanager "${TASKMANAGERS[@]/#/taskmanager-}"; do
    if pid=$(live_pid "$DIR/$name.pid"); then
      echo "$name running (pid $pid)"
    else
      echo "$name stopped"
      down=1
    fi
  done
  if registered=$(registered_taskmanagers); then
    echo "REST $REST: $(grep -c . <<<"$registered") taskmanager(s) registered"
  fi
  return $((down ? 3 : 0))
}

taskmanager_number() {
  [[ " ${TASKMANAGERS[*]} " == *" ${1:-} "* ]] || die "no TaskManager '${1:-}' (expected one of ${TASKMANAGERS[*]})"
  echo "$1"
}

kill_taskmanager() {
  local n pid
  n=$(taskmanager_number "${1:-}")
  pid=$(live_pid "$DIR/taskmanager-$n.pid") || die "taskmanager-$n is not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$DIR/taskmanager-$n.pid"
  echo "taskmanager-$n killed (pid $pid)"
}

restart_taskmanager() {
  local n pid
  n=$(taskmanager_number "${1:-}")
  if pid=$(live_pid "$DIR/taskmanager-$n.pid"); then
    die "taskmanager-$n is already running (pid $pid)"
  fi
  live_pid "$DIR/jobmanager.pid" >/dev/null || die "the jobmanager is not running (flink.sh start)"
  start_taskmanager "$n"
  await_taskmanagers "$n"
  echo "taskmanager-$n running (pid $(<"$DIR/taskmanager-$n.pid"))"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  classpath) classpath flink ;;
  kill-tm) kill_taskmanager "${2:-}" ;;
  start-tm) restart_taskmanager "${2:-}" ;;
  *) die "usage: $SCRIPT start|stop|status|kill-tm N|start-tm N|classpath" ;;
esac

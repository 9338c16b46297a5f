#!/usr/bin/env bash
# A Kafka 4.2 broker (KRaft, combined broker + controller) as its own JVM on 127.0.0.1, without the
# Kafka distribution: the class path comes from deploy/cluster/pom.xml.
#
#   deploy/cluster/kafka.sh start|stop|status
#   deploy/cluster/kafka.sh classpath    the broker's class path (for Kafka's tools), resolved if needed
#
# Environment: KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default 9093),
# CKV_CLUSTER_DIR (run directory, default /tmp/collectivekv-cluster; the broker uses its kafka/),
# KAFKA_HEAP (default 512m), KAFKA_START_TIMEOUT seconds (default 60).
set -euo pipefail
# shellcheck source=deploy/cluster/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
DIR=$RUN_DIR/kafka
PIDFILE=$DIR/kafka.pid
LOG=$DIR/logs/server.log

kafka_java() {
  local cp
  cp=$(classpath kafka)
  "$JAVA" -Dlog.file="$1" -Dlog4j.configurationFile="$CLUSTER_HOME/log4j2.properties" -cp "$cp" "${@:2}"
}

start() {
  local pid cp cluster_id i
  if pid=$(live_pid "$PIDFILE"); then
    echo "kafka already running (pid $pid) on 127.0.0.1:$PORT"
    return 0
  fi
  port_open "$PORT" && die "127.0.0.1:$PORT is already in use (set KAFKA_PORT)"
  mkdir -p "$DIR/data" "$DIR/logs"
  render "$CLUSTER_HOME/kafka-server.properties" "$DIR/server.properties" \
    PORT="$PORT" CONTROLLER_PORT="$CONTROLLER_PORT" DATA_DIR="$DIR/data"
  # KRaft needs formatted storage, once: a second format would refuse the existing data.
  # random-uuid's log lines would land on stdout without a log4j configuration: take its last line.
  if [[ ! -f "$DIR/data/meta.properties" ]]; then
    cluster_id=$(kafka_java "$DIR/logs/storage-tool.log" kafka.tools.StorageTool random-uuid | tail -n 1)
    kafka_java "$DIR/logs/storage-tool.log" kafka.tools.StorageTool format \
      --cluster-id "$cluster_id" --config "$DIR/server.properties" >"$DIR/logs/format.out" 2>&1 \
      || die "formatting $DIR/data failed: $(tail -n 1 "$DIR/logs/format.out")"
  fi
  cp=$(classpath kafka)
  start_java "$PIDFILE" "$DIR/logs/server.out" "-Xms${KAFKA_HEAP:-512m}" "-Xmx${KAFKA_HEAP:-512m}" \
    -Dlog.file="$LOG" -Dlog4j.configurationFile="$CLUSTER_HOME/log4j2.properties" \
    -cp "$cp" kafka.Kafka "$DIR/server.properties"
  for ((i = 0; i < ${KAFKA_START_TIMEOUT:-60} * 5; i++)); do
    check_alive "$PIDFILE" kafka "$LOG"
    if port_open "$PORT"; then
      echo "kafka running (pid $(<"$PIDFILE")) on 127.0.0.1:$PORT; logs in $DIR/logs"
      return 0
    fi
    sleep 0.2
  done
  stop_pid "$PIDFILE" kafka 5 >/dev/null
  die "kafka did not open 127.0.0.1:$PORT within ${KAFKA_START_TIMEOUT:-60} s; see $LOG"
}

status() {
  local pid
  if pid=$(live_pid "$PIDFILE"); then
    echo "kafka running (pid $pid) on 127.0.0.1:$PORT"
  else
    echo "kafka stopped"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop_pid "$PIDFILE" kafka ;;
  status) status ;;
  classpath) classpath kafka ;;
  *) die "usage: $SCRIPT start|stop|status|classpath" ;;
esac

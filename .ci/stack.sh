#!/usr/bin/env bash
# Shared by .ci/cluster-check and .ci/fault-check (sourced, from the repository root): a fresh run
# directory and free loopback ports, a trap that stops every process whatever happens (and keeps
# the logs on failure), timed steps, and the stack itself: a Kafka broker and a Flink session
# cluster as separate JVMs (deploy/cluster/), the job's topics and a small model.
#
# Before sourcing: CHECK (a name for messages). After `stack_up`: RUN, REST, BOOTSTRAP, JOB_JAR.

JOB_JAR=flink-job/target/collectivekv-flink-job-0.1.0-SNAPSHOT-job.jar
CLI_JAR=cli/target/ckv.jar
# PyTorch natives (for the model trained below) are extracted once, outside the checkout.
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$HOME/.djl.ai}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
CKV_CLUSTER_DIR=$(mktemp -d "/tmp/ckv-$CHECK.XXXXXX")
KAFKA_PORT=$(free_port)
KAFKA_CONTROLLER_PORT=$(free_port)
FLINK_REST_PORT=$(free_port)
FLINK_RPC_PORT=$(free_port)
export CKV_CLUSTER_DIR KAFKA_PORT KAFKA_CONTROLLER_PORT FLINK_REST_PORT FLINK_RPC_PORT
RUN=$CKV_CLUSTER_DIR
REST=http://127.0.0.1:$FLINK_REST_PORT
BOOTSTRAP=127.0.0.1:$KAFKA_PORT

cleanup() {
  local rc=$?
  deploy/cluster/flink.sh stop || true
  deploy/cluster/kafka.sh stop || true
  if ((rc == 0)); then
    rm -rf "$RUN"
  else
    echo "$CHECK: FAILED; logs kept in $RUN/flink/logs and $RUN/kafka/logs" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

TIMINGS=()
# step NAME COMMAND...: runs it and records how long it took.
step() {
  local name=$1 t0=$SECONDS
  shift
  echo "== $name"
  "$@"
  TIMINGS+=("$name $((SECONDS - t0)) s")
}

classpaths() {
  deploy/cluster/kafka.sh classpath >/dev/null
  deploy/cluster/flink.sh classpath >/dev/null
}

stack_up() {
  echo "$CHECK: run dir $RUN; Kafka $BOOTSTRAP; Flink REST $REST"
  if [[ ! -f "$JOB_JAR" || ! -f "$CLI_JAR" ]]; then
    step build mvn -B -q -DskipTests install
  fi
  step "class paths" classpaths
  step kafka deploy/cluster/kafka.sh start
  step flink deploy/cluster/flink.sh start
  step topics bin/ckv topics --bootstrap-servers "$BOOTSTRAP"
  # Any artifact serves for this check: a small model, one epoch, on the synthetic data it replays.
  step model bin/ckv train --quiet --epochs 1 --d 32 --pool-size 128 --window 50 --max-length 50 --rel-pos-buckets 16 \
    --negatives 128 --validation-users 200 --out "$RUN/models/v1"
}

# submit_job ARGS...: the job jar over REST with parallelism 2 on this stack; sets JOB.
submit_job() {
  JOB=$(PARALLELISM=2 deploy/cluster/submit.sh "$JOB_JAR" --parallelism 2 --kafka.bootstrap.servers "$BOOTSTRAP" \
    --model.uri "$RUN/models/v1" --checkpoint.dir "file://$RUN/checkpoints" "$@")
}

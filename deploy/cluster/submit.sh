#!/usr/bin/env bash
# Submits a job jar to the session cluster through Flink's REST API (upload, then run), prints the
# job id on stdout and returns once the job and all its tasks are RUNNING.
#
#   deploy/cluster/submit.sh <job jar> [program args...]
#
# Environment: FLINK_REST_PORT (default 8081), PARALLELISM (default 2),
# ENTRY_CLASS (default io.collectivekv.job.RecommenderJobMain), SUBMIT_TIMEOUT seconds (default 120).
#
# PARALLELISM is the request's default; the recommender sets its own from its `parallelism`
# setting (default 1), so pass `--parallelism N` among its program args as well.
set -euo pipefail
# shellcheck source=deploy/cluster/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REST=http://127.0.0.1:${FLINK_REST_PORT:-8081}
TIMEOUT=${SUBMIT_TIMEOUT:-120}

(($# >= 1)) || die "usage: $SCRIPT <job jar> [program args...]"
JAR=$1
shift
[[ -f "$JAR" ]] || die "$JAR: no such file"

# Flink answers errors as {"errors": [...]}, often whole stack traces: keep the first line and the
# deepest cause of each.
errors() {
  python3 -c '
import json, sys
try:
    errors = json.load(sys.stdin).get("errors", [])
except ValueError:
    errors = []
lines = []
for e in errors:
    e = e.strip().splitlines()
    causes = [l.strip() for l in e if l.strip().startswith("Caused by:")]
    lines.append(e[0] + (" ... " + causes[-1] if causes else "") if e else "")
print("; ".join(lines) or "no details")' <<<"$1"
}

# rest METHOD PATH [curl args...]: the response body; fails with Flink's error on a non-2xx status.
rest() {
  local method=$1 path=$2 body status
  shift 2
  body=$(curl -sS --max-time 300 -X "$method" -w '\n%{http_code}' "$@" "$REST$path") \
    || die "no answer from Flink's REST API at $REST (flink.sh start?)"
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  [[ $status == 2* ]] || die "$method $path: HTTP $status: $(errors "$body")"
  printf '%s' "$body"
}

json_field() {
  python3 -c 'import json, sys; print(json.loads(sys.argv[1]).get(sys.argv[2]) or "")' "$1" "$2"
}

start=$SECONDS
upload=$(rest POST /jars/upload -F "jarfile=@$JAR;type=application/x-java-archive")
jar_id=$(json_field "$upload" filename)
jar_id=${jar_id##*/}
request=$(python3 -c '
import json, sys
print(json.dumps({"entryClass": sys.argv[1], "parallelism": int(sys.argv[2]), "programArgsList": sys.argv[3:]}))' \
  "${ENTRY_CLASS:-io.collectivekv.job.RecommenderJobMain}" "${PARALLELISM:-2}" "$@")
run=$(rest POST "/jars/$jar_id/run" -H 'Content-Type: application/json' -d "$request")
job_id=$(json_field "$run" jobid)
echo "$SCRIPT: job $job_id submitted ($(basename "$JAR")); waiting until its tasks run" >&2

# A job is RUNNING as soon as it is scheduled; it serves once every task is RUNNING too.
deadline=$((SECONDS + TIMEOUT))
while :; do
  job=$(rest GET "/jobs/$job_id")
  state=$(python3 -c '
import json, sys
job = json.loads(sys.argv[1])
tasks = {v["status"] for v in job["vertices"]}
print(job["state"] if job["state"] != "RUNNING" or tasks == {"RUNNING"} else "DEPLOYING")' "$job")
  case "$state" in
    RUNNING) break ;;
    FAILED | CANCELED | FINISHED)
      exceptions=$(rest GET "/jobs/$job_id/exceptions")
      die "job $job_id is $state: $(json_field "$exceptions" root-exception | head -n 1)" ;;
  esac
  ((SECONDS < deadline)) || die "job $job_id not running after $TIMEOUT s (state $state); see the JobManager's log"
  sleep 0.5
done
echo "$SCRIPT: job $job_id running after $((SECONDS - start)) s" >&2
echo "$job_id"

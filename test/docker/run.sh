#!/usr/bin/env bash
# npm run test:docker: the Docker image and the compose network on a real engine. Installs
# Debian's docker.io, docker-compose (v1) and debootstrap when missing, starts dockerd when none
# runs (and stops it by its pid at the end, pass or fail), makes the base image locally
# (docker/base-image.sh: no registry is reachable), builds the image without --pull, and runs the
# compose network: the nodes pinned the satellite's id from its volume (the admin API refuses
# requests without its token or from a foreign Host); the client uploads and verifies files; a node
# container is SIGKILLed and the files still verify; a node restarted keeps its peer id and passes
# audits; `docker stop` finishes within the stop timeout. Everything is torn down at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
export COMPOSE_PROJECT_NAME=stowagetest
export STOWAGE_ADMIN_PORT="${STOWAGE_ADMIN_PORT:-17778}"
export STOWAGE_S3_PORT="${STOWAGE_S3_PORT:-17777}"
admin="http://127.0.0.1:$STOWAGE_ADMIN_PORT"
dc=(docker-compose -f docker/compose.yaml)
step() { echo "test:docker: $*"; }

if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null; then
  step "installing docker.io, docker-compose, debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >/dev/null
fi

started_dockerd=""
cleanup() {
  status=$?
  "${dc[@]}" logs --no-color --tail 30 >/tmp/stowage-compose.log 2>&1 || true
  "${dc[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  if [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.2; done
  fi
  if [ "$status" -ne 0 ]; then echo "test:docker: FAILED (last compose logs in /tmp/stowage-compose.log)"; tail -40 /tmp/stowage-compose.log; fi
  exit "$status"
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  step "starting dockerd"
  dockerd >/tmp/stowage-dockerd.log 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.3; done
  docker info >/dev/null 2>&1 || { tail -20 /tmp/stowage-dockerd.log; exit 1; }
fi

step "base image"
bash docker/base-image.sh
step "building the image"
docker build -q -f docker/Dockerfile -t stowage:local . >/dev/null

wait_healthy() {
  for _ in $(seq 1 120); do
    local all=1
    for s in "$@"; do
      local id
      id="$("${dc[@]}" ps -q "$s")"
      [ "$(docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null)" = healthy ] || all=0
    done
    [ "$all" = 1 ] && return 0
    sleep 0.5
  done
  echo "not healthy in time: $*" >&2
  return 1
}
# The admin API needs the token in the satellite's volume (read once the satellite is up).
token=""
api() { curl -s -H "authorization: Bearer $token" "$@"; }
reachable_nodes() { api "$admin/api/nodes" | grep -c '"reachable": true' || true; }

step "compose up: a satellite and six nodes"
"${dc[@]}" down -v >/dev/null 2>&1 || true
"${dc[@]}" up -d satellite node1 node2 node3 node4 node5 node6 >/dev/null 2>&1
wait_healthy satellite node1 node2 node3 node4 node5 node6
token="$("${dc[@]}" exec -T satellite cat /app/config/admin.token | tr -d '[:space:]')"
[ -n "$token" ] || { echo "no admin token in the satellite's volume" >&2; exit 1; }
# Every node trusts the satellite's id as the satellite's volume has it (SATELLITE_ID_FILE).
sat_id="$("${dc[@]}" exec -T satellite node /app/dist/cli/main.js satellite setup --data-dir /app/config | tr -d '[:space:]')"
[ "$("${dc[@]}" exec -T node1 cat /app/satellite-id/id | tr -d '[:space:]')" = "$sat_id" ] || { echo "node1 does not see the satellite's id $sat_id" >&2; exit 1; }
# Without the token, or through a name that is not the satellite's: refused.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$admin/api/nodes")" = 401 ] || { echo "the admin API answered without the token" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $token" -H 'host: rebind.example' "$admin/api/nodes")" = 421 ] || { echo "the admin API answered a foreign Host" >&2; exit 1; }
for _ in $(seq 1 60); do [ "$(reachable_nodes)" = 6 ] && break; sleep 0.5; done
# The image carries the built pages: the satellite's operator page is served on the admin port.
curl -sf "$admin/" | grep -q '<title>Stowage satellite</title>' || { echo "the satellite page is not served" >&2; exit 1; }
[ "$(reachable_nodes)" = 6 ] || { echo "only $(reachable_nodes) of 6 nodes reached"; exit 1; }

step "client: upload and verify"
"${dc[@]}" run --rm client upload 5
"${dc[@]}" run --rm client verify

step "gateway: an access registered, a bucket and an object through S3 (curl's SigV4)"
s3="http://127.0.0.1:${STOWAGE_S3_PORT:-17777}"
"${dc[@]}" up -d gateway >/dev/null 2>&1
wait_healthy gateway
key="$(api -X POST -H 'content-type: application/json' -d '{"name":"s3"}' "$admin/api/keys" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).key)')"
access="$("${dc[@]}" exec -T gateway node -e 'import("/app/dist/client/index.js").then((m) => process.stdout.write(m.createAccess(process.argv[1], process.argv[2])))' "$sat_id@/dns4/satellite/tcp/7777" "$key")"
creds="$(curl -sf -X POST -H 'content-type: application/json' -d "{\"access\":\"$access\"}" "$s3/_stowage/register")"
kid="$(echo "$creds" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).accessKeyId)')"
ksecret="$(echo "$creds" | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).secretKey)')"
s3c() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$kid:$ksecret" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3c -X PUT "$s3/dockerbucket" >/dev/null
head -c 3000000 /dev/urandom >/tmp/stowage-s3-object
s3c -T /tmp/stowage-s3-object "$s3/dockerbucket/object" >/dev/null
s3c "$s3/dockerbucket/object" | cmp - /tmp/stowage-s3-object || { echo "the object read back through the gateway differs" >&2; exit 1; }
s3c "$s3/dockerbucket?list-type=2" | grep -q '<Key>object</Key>' || { echo "the gateway's listing lacks the object" >&2; exit 1; }
# Unsigned: refused.
[ "$(curl -s -o /dev/null -w '%{http_code}' "$s3/dockerbucket/object")" = 403 ] || { echo "the gateway served an unsigned request" >&2; exit 1; }

step "SIGKILL node1: files still verify"
docker kill -s KILL "$("${dc[@]}" ps -q node1)" >/dev/null
"${dc[@]}" run --rm client verify

step "restart a node holding pieces: same peer id, pieces still pass audits"
# With profile 2/3/4/6 each segment lands on 4 of the 6 nodes, so a given node may hold nothing
# (CI once restarted a node2 that the long tail had cut from all four segments): restart the
# first of node2..node6 the satellite counts bytes on.
peer_id() { "${dc[@]}" exec -T "$1" node /app/dist/cli/main.js node setup --identity-dir /app/identity; }
used="$(api "$admin/api/gc/used")"
victim=""
for s in node2 node3 node4 node5 node6; do
  id="$(peer_id "$s")"
  if echo "$used" | node -e 'const u = JSON.parse(require("fs").readFileSync(0, "utf8")); process.exit((u[process.argv[1]] ?? 0) > 0 ? 0 : 1)' "$id"; then victim="$s"; break; fi
done
[ -n "$victim" ] || { echo "no node holds pieces: $used"; exit 1; }
step "restarting $victim"
before="$(peer_id "$victim")"
"${dc[@]}" restart "$victim" >/dev/null 2>&1
wait_healthy "$victim"
after="$(peer_id "$victim")"
[ "$before" = "$after" ] || { echo "peer id changed: $before -> $after"; exit 1; }
for _ in $(seq 1 60); do api "$admin/api/nodes/$after" | grep -q '"reachable": true' && break; sleep 0.5; done
audits="$(api -X POST "$admin/api/audits/run")"
echo "$audits" | node -e '
  const id = process.argv[1];
  const all = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const mine = all.filter((a) => a.nodeId === id);
  if (mine.length !== 1 || mine[0].outcome !== "success") { console.error("audit of the restarted node:", JSON.stringify(mine)); process.exit(1); }
  console.log("test:docker: audit of the restarted node", id.slice(-8), mine[0].outcome);' "$after"
"${dc[@]}" run --rm client verify

step "docker stop finishes within the stop timeout"
t0=$(date +%s%N)
docker stop -t 30 "$("${dc[@]}" ps -q node3)" >/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
code="$(docker inspect -f '{{.State.ExitCode}}' "$("${dc[@]}" ps -q node3)")"
echo "test:docker: node3 stopped in ${ms} ms, exit code $code"
[ "$ms" -lt 30000 ] && [ "$code" = 0 ] || exit 1
step "passed"

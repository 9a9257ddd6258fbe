#!/usr/bin/env bash
# Rehearses the runtime stage of the Dockerfile without a Docker engine: the same files (package.json and the
# lock file, dist/, deploy/runtime), production dependencies only (`npm ci --omit=dev`), the image's environment
# and its CMD, in a scratch directory; then asks /health and /docs-json. It proves the image's files and
# dependencies are enough to run; it does not build the image (the base image and its npm are not those here).
# Usage: npm run build && bash deploy/docker/rehearse-runtime.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f dist/apps/api/src/main.js ] || { echo "rehearse: run npm run build first" >&2; exit 1; }
STAGE=$(mktemp -d)
cleanup() {
  if [ -n "${PID:-}" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$STAGE"
}
trap cleanup EXIT
cp package.json package-lock.json "$STAGE/"
(cd "$STAGE" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
cp -r dist "$STAGE/dist"
mkdir -p "$STAGE/deploy" && cp -r deploy/runtime "$STAGE/deploy/runtime"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CMD=$(python3 -c 'import json,re,sys; print(" ".join(json.loads(re.search(r"^CMD (.*)$", open("Dockerfile").read(), re.M).group(1))))')
echo "rehearse: $CMD (production dependencies only, in $STAGE)"
(cd "$STAGE" && NODE_ENV=production HOST=127.0.0.1 PORT=$PORT DATA_DIR="$STAGE/data" AUTH_TOKENS="admin=rehearsal-admin-token-0001" \
  exec $CMD >"$STAGE/api.log" 2>&1) &
PID=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { echo "rehearse: the runtime stage did not start:"; cat "$STAGE/api.log"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/health" && echo
curl -fs "http://127.0.0.1:$PORT/docs-json" -o /dev/null
echo "rehearse: the runtime stage answers /health and /docs-json"

#!/usr/bin/env bash
# Checks the running application against its own published contracts, the way a client would see them:
#   1. starts the built API on the embedded store (a fresh data directory, known tokens, no rate limit);
#   2. checks the AsyncAPI document at /asyncapi.json (deploy/ci/check_asyncapi.py) and that /docs-json is an
#      OpenAPI 3 document every operation of which declares its responses;
#   3. fuzzes every operation with schemathesis, once per role's token, then follows the OpenAPI links from an
#      opened case through its actions (stateful phase): no answer may be a 5xx, and every
#      answer must be a status, content type and body the OpenAPI document declares.
# schemathesis comes from PyPI into a virtualenv under ~/.cache/aftersales (once).
# Usage: npm run build && bash deploy/ci/api-contract.sh      (FUZZ_SECONDS per role, default 30)
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${AFTERSALES_CACHE:-$HOME/.cache/aftersales}"
VENV="$CACHE/venv"
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "contract: installing schemathesis from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis==4.32.5'
fi

DATA_DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
declare -A TOKEN=(
  [service]=contract-service-token-000001 [agent]=contract-agent-token-0000001 [analyst]=contract-analyst-token-00001
  [auditor]=contract-auditor-token-00001 [admin]=contract-admin-token-0000001
)
AUTH=""
for role in "${!TOKEN[@]}"; do AUTH+="${AUTH:+,}$role=${TOKEN[$role]}"; done
LOG="$DATA_DIR/api.log"
PORT=$PORT HOST=127.0.0.1 DATA_DIR="$DATA_DIR" AUTH_TOKENS="$AUTH" RATE_LIMIT_PER_SECOND=0 LOG_LEVEL=warn SLA_WATCH_INTERVAL_MS=1000 \
  node -r ./deploy/runtime/register-paths.js dist/apps/api/src/main.js >"$LOG" 2>&1 &
API_PID=$!
cleanup() {
  kill "$API_PID" 2>/dev/null || true
  wait "$API_PID" 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fs "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || { echo "contract: the API did not start:"; cat "$LOG"; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/health" >/dev/null || { echo "contract: the API never became ready"; cat "$LOG"; exit 1; }
echo "contract: API up at $BASE (pid $API_PID)"

curl -fs "$BASE/asyncapi.json" -o "$DATA_DIR/asyncapi.json"
curl -fs "$BASE/docs-json" -o "$DATA_DIR/openapi.json"
python3 deploy/ci/check_asyncapi.py "$DATA_DIR/asyncapi.json" "$DATA_DIR/openapi.json"

# schemathesis closes with pytest-shaped banners ("=== No issues found in 30.02s ===", "=== 3 warnings in 30.04s ===")
# that a log reader takes for a test runner that ran no test; so its report goes to a file, and the log gets one
# line of its figures when it found nothing, or the whole report (banners flattened) when it found something.
schemathesis_run() {
  local label=$1
  shift
  local out="$DATA_DIR/schemathesis-${label// /-}.txt"
  if "$VENV/bin/schemathesis" run "$BASE/docs-json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --workers 1 --request-timeout 10 --suppress-health-check all --no-color "$@" >"$out" 2>&1; then
    local cases warnings
    cases=$(grep -oE '[0-9]+ generated' "$out" | tail -n1 | cut -d' ' -f1)
    warnings=$(grep -E '^ *⚠' "$out" | sed -E 's/^ *⚠️? *//' | paste -sd ';' - | sed 's/;/; /g')
    echo "contract: $label: ${cases:-no} generated cases, every answer conformed${warnings:+ (warnings: $warnings)}"
  else
    echo "contract: $label: schemathesis found answers that break the contract; its report:"
    sed -E -e 's/={3,}/---/g' -e 's/^/  schemathesis | /' "$out"
    return 1
  fi
}

status=0
for role in service agent analyst auditor admin; do
  echo "contract: fuzzing every operation as '$role' for ${FUZZ_SECONDS}s"
  schemathesis_run "fuzzing as $role" --header "Authorization: Bearer ${TOKEN[$role]}" \
    --phases examples,coverage,fuzzing --max-time "$FUZZ_SECONDS" || status=1
  # one worker: CPython 3.11 compiles regexes and ASTs racily across threads ("AST constructor recursion depth mismatch")
done
# Stateful: open cases and follow the document's links (POST /cases → every operation on the case) as an agent,
# who may open cases and run every agent action, so sequences reach past the first transition.
echo "contract: following the OpenAPI links from opened cases as 'agent' for ${FUZZ_SECONDS}s"
schemathesis_run "links as agent" --header "Authorization: Bearer ${TOKEN[agent]}" --phases stateful --max-time "$FUZZ_SECONDS" || status=1
if grep -q '"level":"error"' "$LOG"; then
  echo "contract: the API logged errors during the run:"; grep '"level":"error"' "$LOG" | head -20
fi
exit $status

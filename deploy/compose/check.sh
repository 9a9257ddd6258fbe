#!/usr/bin/env bash
# Checks the deploy files without starting anything:
#   1. `docker compose config` parses and validates docker-compose.yml (the Compose CLI needs no Docker engine
#      for this). Where no `docker compose` is installed and Go is, the Compose CLI is built once from the Go
#      module proxy into ~/.cache/aftersales (COMPOSE_VERSION, default v2.40.3).
#   2. Every environment the application image gets, in docker-compose.yml and deploy/k8s/aftersales.yaml, is
#      accepted by the application's own configuration loader, and names no variable it does not read.
# Usage: bash deploy/compose/check.sh    (needs `npm run build` first, for step 2)
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${AFTERSALES_CACHE:-$HOME/.cache/aftersales}"
COMPOSE_VERSION="${COMPOSE_VERSION:-v2.40.3}"

compose() {
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; return; fi
  if command -v docker-compose >/dev/null 2>&1 && docker-compose version 2>/dev/null | grep -q 'v2\|version dev'; then docker-compose "$@"; return; fi
  local bin="$CACHE/docker-compose-$COMPOSE_VERSION"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null 2>&1 || { echo "check: no 'docker compose' and no Go to build it; cannot validate docker-compose.yml" >&2; return 3; }
    echo "check: building the Compose CLI $COMPOSE_VERSION from the Go module proxy (once, into $CACHE)" >&2
    local src
    src=$(mktemp -d)
    (cd "$src" && GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" >"$src/module.json")
    local dir
    dir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Dir"])' "$src/module.json")
    cp -r "$dir" "$src/compose" && chmod -R u+w "$src/compose"
    mkdir -p "$CACHE"
    (cd "$src/compose" && go build -trimpath -o "$bin.part" ./cmd) && mv "$bin.part" "$bin"
    rm -rf "$src"
  fi
  "$bin" "$@"
}

compose -f docker-compose.yml config --quiet
echo "check: docker-compose.yml is valid (docker compose config)"
RESOLVED=$(mktemp -t aftersales-compose-XXXXXX.json)
trap 'rm -f "$RESOLVED"' EXIT
compose -f docker-compose.yml config --format json >"$RESOLVED"
python3 - "$RESOLVED" deploy/k8s/aftersales.yaml <<'PY' | node -r ./deploy/runtime/register-paths.js deploy/compose/check-environments.js
import json, sys
try:
    import yaml
except ImportError:
    sys.exit("check: PyYAML is needed to read the Kubernetes manifests (pip install pyyaml)")
compose = json.load(open(sys.argv[1]))
envs = []
for name, service in compose["services"].items():
    if service.get("image") == "aftersales:latest":
        envs.append({"where": f"docker-compose.yml service {name}", "env": service.get("environment") or {}})
docs = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d]
shared = {}
for d in docs:
    if d["kind"] == "ConfigMap":
        shared.update(d.get("data", {}))
    if d["kind"] == "Secret":
        shared.update(d.get("stringData", {}))
for d in docs:
    if d["kind"] != "Deployment":
        continue
    for c in d["spec"]["template"]["spec"]["containers"]:
        env = dict(shared)
        env.update({e["name"]: e["value"] for e in c.get("env", [])})
        envs.append({"where": f"deploy/k8s/aftersales.yaml deployment {d['metadata']['name']}", "env": env})
print(json.dumps(envs))
PY

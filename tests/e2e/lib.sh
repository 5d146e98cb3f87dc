# Shared helpers for the end-to-end scripts: a temp dir, a hub on a free loopback port, a kiosk config.
# Expects HUB and KIOSK (executables) in the environment.
set -euo pipefail

work=$(mktemp -d "${TMPDIR:-/tmp}/truthpoint-e2e.XXXXXX")
hub_pid=""
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; echo "ok: $3 ($1)"; }

export TRUTHPOINT_HUB_DB="sqlite:$work/hub.db"

# start_hub [HOST:PORT] — starts the hub, waits until it listens, sets hub_url and hub_pid.
start_hub() {
  local listen=${1:-127.0.0.1:0}
  : >"$work/hub.log"
  "$HUB" serve --listen "$listen" >>"$work/hub.log" 2>&1 &
  hub_pid=$!
  for _ in $(seq 200); do
    if grep -q 'listening on' "$work/hub.log"; then
      hub_url=$(grep -o 'http://[^ ]*' "$work/hub.log" | tail -n 1)
      return 0
    fi
    kill -0 "$hub_pid" 2>/dev/null || { cat "$work/hub.log" >&2; fail "the hub exited at start"; }
    sleep 0.05
  done
  fail "the hub did not start listening within 10 s"
}

stop_hub() {
  kill -TERM "$hub_pid"
  wait "$hub_pid" || fail "the hub did not exit cleanly on SIGTERM"
  hub_pid=""
}

# enrol_kiosk ID STORE — enrols at the hub, writes $work/ID.toml.
enrol_kiosk() {
  local token
  token=$("$HUB" kiosk add --kiosk "$1" --store "$2" | tail -n 1)
  [ -n "$token" ] || fail "kiosk add printed no token"
  cat >"$work/$1.toml" <<TOML
[kiosk]
id = "$1"
store = "$2"
db = "$work/$1.db"
languages = ["en", "fa"]

[hub]
url = "$hub_url"
token = "$token"
TOML
}

export_count() { "$HUB" export --format ndjson | grep -c . || true; }

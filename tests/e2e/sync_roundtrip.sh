#!/usr/bin/env bash
# End to end over loopback: simulate → sync → the hub holds each event exactly once, across
# repeated syncs, a hub outage and a hub restart.
source "$(dirname "$0")/lib.sh"

start_hub
enrol_kiosk k-e2e s-042
config="$work/k-e2e.toml"

"$KIOSK" simulate --events 2000 --seed 42 --config "$config" >/dev/null
"$KIOSK" sync --config "$config" || fail "first sync failed"
expect_eq "$(export_count)" 2000 "events at the hub after the first sync"
expect_eq "$("$HUB" export --format ndjson | grep -o '"id":"[^"]*"' | sort -u | wc -l)" 2000 "distinct event ids"
expect_eq "$("$HUB" export --format ndjson | grep -c '"store_id":"s-042"')" 2000 "events carrying the token's store"

"$KIOSK" sync --config "$config" || fail "second sync failed"
expect_eq "$(export_count)" 2000 "events at the hub after syncing again"

# The hub goes away: sync fails loudly and keeps everything pending.
"$KIOSK" simulate --events 300 --seed 43 --config "$config" >/dev/null
port=${hub_url##*:}
stop_hub
if "$KIOSK" sync --config "$config" 2>"$work/sync.err"; then fail "sync succeeded with the hub down"; fi
grep -q "cannot reach the hub" "$work/sync.err" || fail "unclear sync error: $(cat "$work/sync.err")"
echo "ok: sync with the hub down exits non-zero: $(head -n 1 "$work/sync.err")"
status=$("$KIOSK" status --json --config "$config") && fail "status exits 0 after a failed sync"
expect_eq "$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 300 "pending while the hub is down"
echo "$status" | python3 -c 'import json,sys; assert "cannot reach" in json.load(sys.stdin)["last_error"]' \
  || fail "status does not show the last error"

# The hub comes back on the same address: the backlog is delivered, once.
start_hub "127.0.0.1:$port"
"$KIOSK" sync --config "$config" || fail "sync after the restart failed"
expect_eq "$(export_count)" 2300 "events at the hub after the restart"
expect_eq "$("$KIOSK" status --json --config "$config" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pending"], d["delivered"], d["last_error"])')" \
  "0 2300 None" "kiosk status after the restart"
echo "PASS"

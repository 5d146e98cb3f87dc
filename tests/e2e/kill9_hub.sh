#!/usr/bin/env bash
# kill -9 of the hub during ingest: three kiosks push to a real hub on loopback (each a `sync` loop beside a
# `simulate` loop writing new events) while the hub is SIGKILLed at a random moment each round
# and restarted on the same address. After every kill, every event a kiosk marks delivered (the hub
# answered 200) is in the hub's file; at the end every event is there exactly once.
# TRUTHPOINT_KILL_ROUNDS=N for a long run (default 20).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kill_lib.sh"
started=$SECONDS

kiosks=(k-h1 k-h2 k-h3)
hub_db="$work/hub.db"
start_hub
port=${hub_url##*:}
for kiosk in "${kiosks[@]}"; do
  enrol_kiosk "$kiosk" s-hub
  # A backlog, so that the first kill already finds batches in flight.
  "$KIOSK" simulate --events 2000 --seed "${kiosk#k-h}" --config "$work/$kiosk.toml" >/dev/null
done

loops=()
for kiosk in "${kiosks[@]}"; do
  restart_loop "$KIOSK" simulate --events 300 --config "$work/$kiosk.toml"
  loops+=("$loop_pid")
  restart_loop "$KIOSK" sync --config "$work/$kiosk.toml"
  loops+=("$loop_pid")
done

for round in $(seq "$kill_rounds"); do
  random_sleep 200 1500
  sigkill "$hub_pid"
  hub_pid=""
  # The hub is down: whatever it acknowledged before dying must be in its file.
  for kiosk in "${kiosks[@]}"; do
    missing=$(delivered_missing_at_hub "$work/$kiosk.db" "$hub_db")
    [ "$missing" = 0 ] || fail "round $round: $missing events $kiosk marks delivered are not at the hub"
  done
  expect_eq "$(sql "file:$hub_db?mode=ro" "PRAGMA quick_check")" ok "round $round: the hub's file after the kill"
  start_hub "127.0.0.1:$port"
  echo "round $round: hub killed and restarted ($(sql "file:$hub_db?mode=ro" "SELECT count(*) FROM events") events stored)"
done

for loop in "${loops[@]}"; do sigkill_loop "$loop"; done
# The kiosks' loops are SIGKILLed too: the last syncs, with nothing killed, deliver what is left.
for kiosk in "${kiosks[@]}"; do
  "$KIOSK" sync --config "$work/$kiosk.toml" >/dev/null || fail "the last sync of $kiosk failed"
  read -r pending _ quarantined <<<"$(status_opens "$work/$kiosk.toml")"
  expect_eq "$pending $quarantined" "0 0" "$kiosk: pending and quarantined after the last sync"
  remember_acked "$kiosk" "$work/$kiosk.db"
done
final_accounting "$hub_db"
echo "wall time: $((SECONDS - started)) s"
sort "$work/loop.err" | uniq -c | sort -rn | head -5
echo "PASS"

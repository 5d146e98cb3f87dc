#!/usr/bin/env bash
# kill -9 of the kiosk while it writes and syncs: `simulate` writing events and a `sync` loop pushing them to
# a real hub on loopback, both SIGKILLed at a random moment each round, then restarted. After every kill
# the ledger opens (`status --json`) and every event it marks delivered is in the hub's file; at the end
# every event any ledger snapshot held is at the hub exactly once.
# TRUTHPOINT_KILL_ROUNDS=N for a long run (default 20).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/kill_lib.sh"
started=$SECONDS

start_hub
enrol_kiosk k-kill s-kill
config="$work/k-kill.toml"
ledger="$work/k-kill.db"
hub_db="$work/hub.db"

hub_count() { sql "file:$hub_db?mode=ro" "SELECT count(*) FROM events"; }
for round in $(seq "$kill_rounds"); do
  "$KIOSK" simulate --events 1000000 --seed "$round" --config "$config" >/dev/null 2>>"$work/simulate.err" &
  simulate_pid=$!
  if (( round % 2 )); then
    # Odd rounds: writing and syncing at once, both killed at one random moment.
    restart_loop "$KIOSK" sync --config "$config"
    random_sleep 100 1200
    sigkill "$simulate_pid"
    sigkill_loop "$loop_pid"
  else
    # Even rounds: simulate killed mid-write, then sync killed mid-push: 0–40 ms after the hub
    # stored its first batch, while the next ones travel (simulate at full speed holds the ledger's write
    # lock almost always, so sync alone is where the pushing happens).
    random_sleep 100 1000
    sigkill "$simulate_pid"
    before=$(hub_count)
    "$KIOSK" sync --config "$config" >/dev/null 2>>"$work/loop.err" &
    sync_pid=$!
    while kill -0 "$sync_pid" 2>/dev/null && [ "$(hub_count)" = "$before" ]; do :; done
    random_sleep 0 40
    sigkill "$sync_pid"
  fi
  read -r pending delivered quarantined <<<"$(status_opens "$config")"
  [ "$quarantined" = 0 ] || fail "round $round: $quarantined simulated events quarantined"
  remember_acked k-kill "$ledger"
  missing=$(delivered_missing_at_hub "$ledger" "$hub_db")
  [ "$missing" = 0 ] || fail "round $round: $missing events marked delivered are not at the hub"
  echo "round $round: killed; ledger pending=$pending delivered=$delivered, all delivered at the hub"
done

# No more kills: one sync delivers the backlog.
"$KIOSK" sync --config "$config" >/dev/null || fail "the last sync, without kills, failed"
read -r pending delivered quarantined <<<"$(status_opens "$config")"
expect_eq "$pending" 0 "events pending after the last sync"
remember_acked k-kill "$ledger"
# Every acknowledged event is still in the ledger: a kill lost nothing already committed.
expect_eq "$(sql "$acked_db" "ATTACH '$(ledger_uri "$ledger")' AS ledger;
  SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM ledger.events)")" 0 "acknowledged events gone from the ledger"
expect_eq "$(sql "$(ledger_uri "$ledger")" "PRAGMA integrity_check")" ok "ledger integrity"
final_accounting "$hub_db"
echo "wall time: $((SECONDS - started)) s"
echo "PASS"

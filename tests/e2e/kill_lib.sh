# Helpers for the kill -9 tests: random moments, SIGKILL of a process and of a restart loop, and the
# ledger-against-hub bookkeeping done with the sqlite3 CLI on the real files.
# Source after lib.sh. TRUTHPOINT_KILL_ROUNDS sets the number of kills, TRUTHPOINT_KILL_SEED the randomness.
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (the tests read the real ledger and hub files)"
# The CLI waits for no lock by default: a reader meeting a checkpoint or a killed writer's WAL recovery
# would fail with "database is locked".
sql() { sqlite3 -cmd ".timeout 10000" "$@"; }

kill_rounds=${TRUTHPOINT_KILL_ROUNDS:-20}
kill_seed=${TRUTHPOINT_KILL_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$kill_seed
echo "kill -9 test: $kill_rounds rounds, seed $kill_seed (TRUTHPOINT_KILL_ROUNDS, TRUTHPOINT_KILL_SEED)"

# All ids any ledger ever showed committed, to compare with the hub at the end.
acked_db="$work/acked.db"
sql "$acked_db" "CREATE TABLE acked (id TEXT PRIMARY KEY, kiosk TEXT NOT NULL)"

# random_sleep MIN_MS MAX_MS
random_sleep() {
  local ms=$(( $1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1) ))
  sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}

# sigkill PID... — SIGKILL each process still alive and reap it.
sigkill() {
  local pid
  for pid in "$@"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# restart_loop COMMAND... — runs COMMAND again and again in the background, a short pause after each
# run (SQLite's busy wait is not fair: a writer that never pauses starves the other process's
# writes); sets loop_pid. Its errors go to $work/loop.err.
restart_loop() {
  ( while :; do "$@" >/dev/null 2>>"$work/loop.err" || true; sleep 0.05; done ) &
  loop_pid=$!
  all_loops+=("$loop_pid")
}
all_loops=()
# However the test ends, no loop outlives it.
trap 'for loop in "${all_loops[@]}"; do sigkill_loop "$loop"; done; cleanup' EXIT

# sigkill_loop PID — freezes the loop so that it starts nothing new, then SIGKILLs the command it is
# running (killed mid-work, like the loop itself) and the loop.
sigkill_loop() {
  local children loop
  kill -STOP "$1" 2>/dev/null || true
  children=$(pgrep -P "$1" || true)
  # shellcheck disable=SC2086
  sigkill $children "$1"
  # Forget it: its pid may be reused by then, and the exit trap must signal only our own loops.
  local alive=()
  for loop in "${all_loops[@]}"; do [ "$loop" = "$1" ] || alive+=("$loop"); done
  all_loops=("${alive[@]}")
}

# The ledger is opened read-only (mode=ro): the checks observe, they never repair.
ledger_uri() { echo "file:$1?mode=ro"; }

# remember_acked KIOSK_ID LEDGER — adds every event the ledger holds to the acknowledged set.
remember_acked() {
  sql "$acked_db" "ATTACH '$(ledger_uri "$2")' AS ledger;
    INSERT OR IGNORE INTO acked SELECT id, '$1' FROM ledger.events;" \
    || fail "the ledger $2 cannot be read after a kill"
}

# delivered_missing_at_hub LEDGER HUB_DB — events the ledger marks delivered (the hub answered 200 for
# them) that the hub's file does not hold.
delivered_missing_at_hub() {
  sql "file:$2?mode=ro" "ATTACH '$(ledger_uri "$1")' AS ledger;
    SELECT count(*) FROM ledger.events WHERE state = 'delivered' AND id NOT IN (SELECT id FROM main.events);"
}

# status_opens CONFIG — `status --json` exits 0 and prints JSON with the three counts; prints "P D Q".
status_opens() {
  local json
  json=$("$KIOSK" status --json --config "$1" 2>"$work/status.err") \
    || fail "status --json failed after a kill: $(cat "$work/status.err")"
  echo "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pending"], d["delivered"], d["quarantined"])' \
    || fail "status --json printed no readable JSON after a kill: $json"
}

# final_accounting HUB_DB — compares every acknowledged event with the hub's file; prints the figures and
# fails on any loss, duplicate or stranger.
final_accounting() {
  local hub_db=$1 acked lost strangers stored distinct rollup
  acked=$(sql "$acked_db" "SELECT count(*) FROM acked")
  lost=$(sql "$acked_db" "ATTACH '$(ledger_uri "$hub_db")' AS hub;
    SELECT count(*) FROM acked WHERE id NOT IN (SELECT id FROM hub.events)")
  # Events at the hub from these kiosks that no ledger ever held.
  strangers=$(sql "$acked_db" "ATTACH '$(ledger_uri "$hub_db")' AS hub;
    SELECT count(*) FROM hub.events WHERE kiosk_id IN (SELECT DISTINCT kiosk FROM acked)
      AND id NOT IN (SELECT id FROM acked)")
  stored=$(sql "file:$hub_db?mode=ro" "SELECT count(*) FROM events")
  distinct=$(sql "file:$hub_db?mode=ro" "SELECT count(DISTINCT id) FROM events")
  # The stats count from the stores' months: an event counted twice shows there even when the
  # events table holds it once. A hub killed before its fold left the events after folded_through to
  # its next one: counted once then.
  rollup=$(sql "file:$hub_db?mode=ro" "SELECT (SELECT coalesce(sum(events), 0) FROM rollup_tiers
    WHERE tier = 'store_totals_month' AND question = 'type')
    + (SELECT count(*) FROM events WHERE rowid > (SELECT folded_through FROM rollup_progress))")
  echo "figures: kills=$kill_rounds acknowledged=$acked at_hub=$stored lost=$lost" \
       "duplicated=$((stored - distinct + rollup - stored)) strangers=$strangers rollup_sum=$rollup"
  expect_eq "$lost" 0 "acknowledged events missing at the hub"
  expect_eq "$strangers" 0 "events at the hub that no ledger held"
  expect_eq "$distinct" "$stored" "distinct ids at the hub"
  expect_eq "$stored" "$acked" "events at the hub"
  expect_eq "$rollup" "$stored" "events counted in the stores' months"
}

#!/usr/bin/env bash
# Nothing wrong passes silently: the mistakes an installer makes are refused at once, with a message naming
# what is wrong and what to do, and the exit code a script can test (2 usage or configuration, 1 failure).
# The real executables; no display is given to the kiosk here unless a case needs one.
source "$(dirname "$0")/lib.sh"
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER

# expect_exit CODE WHAT PATTERN COMMAND...: COMMAND exits CODE and says PATTERN (stdout or stderr).
expect_exit() {
  local code=$1 what=$2 pattern=$3
  shift 3
  local got=0
  "$@" >"$work/out" 2>"$work/err" </dev/null || got=$?
  [ "$got" -eq "$code" ] || fail "$what: exit $got, expected $code: $(cat "$work/out" "$work/err")"
  grep -Eq -- "$pattern" "$work/out" "$work/err" || fail "$what: the message does not say '$pattern': $(cat "$work/out" "$work/err")"
  echo "ok: $what: exit $code: $(cat "$work/out" "$work/err" | grep -E -m1 -- "$pattern")"
}

# --- Versions, and usage errors exit 2.
expect_exit 0 "truthpoint-hub --version" '^truthpoint-hub [0-9]+\.[0-9]+' "$HUB" --version
expect_exit 0 "truthpoint-kiosk --version" '^truthpoint-kiosk [0-9]+\.[0-9]+' "$KIOSK" --version
expect_exit 2 "a misspelt hub command" "unknown command 'kiosks'" "$HUB" kiosks list
expect_exit 2 "a hub option that does not exist" "--jsn" "$HUB" kiosk list --jsn
expect_exit 2 "a misspelt kiosk command" "statuss" "$KIOSK" statuss
expect_exit 2 "a kiosk option that does not exist" "--windowd" "$KIOSK" run --windowd 800x600

# --- The hub: only serve and db init make a SQLite database; a typo is named, and nothing is made.
expect_exit 1 "kiosk add on a mistyped --db" "$work/hbu.db does not exist" \
  "$HUB" kiosk add --kiosk k-1 --store s-1 --db "sqlite:$work/hbu.db"
[ ! -e "$work/hbu.db" ] || fail "kiosk add made $work/hbu.db"
expect_exit 1 "db copy from a mistyped SQLite path" "$work/hbu.db does not exist" \
  "$HUB" db copy --from "sqlite:$work/hbu.db" --to "postgresql://nobody@127.0.0.1:1/none"
[ ! -e "$work/hbu.db" ] || fail "db copy made $work/hbu.db"
expect_exit 0 "db init makes the database" "created a new database" "$HUB" db init
start_hub
enrol_kiosk k-1 s-1
config="$work/k-1.toml"

# --- The kiosk's configuration: each mistake named with its key and the file, exit 2, before anything starts.
broken() { cp "$config" "$work/broken.toml"; sed -i "$1" "$work/broken.toml"; }
broken 's|^url = .*|url = "https://hub.example.com:84433"|'
expect_exit 2 "a hub url with a bad port" "broken.toml: hub.url has the port \"84433\"" "$KIOSK" status --config "$work/broken.toml"
broken 's|^languages = .*|languages = ["en", "fr"]|'
expect_exit 2 "an unknown language" "kiosk.languages holds 'fr', which is not a language this kiosk speaks" \
  "$KIOSK" run --config "$work/broken.toml"
cp "$config" "$work/broken.toml"
printf '\n[staff]\npin_hash = "1234"\n' >>"$work/broken.toml"
expect_exit 2 "a pin_hash written by hand" "staff.pin_hash is not an argon2id hash" "$KIOSK" run --config "$work/broken.toml"
printf '2468\n2468\n' | "$KIOSK" set-pin --config "$work/broken.toml" >/dev/null || fail "set-pin could not mend a bad pin_hash"
"$KIOSK" simulate --events 3 --config "$work/broken.toml" >/dev/null || fail "the configuration set-pin mended does not load"
echo "ok: set-pin mends a bad pin_hash"

# --- status and sync never make a ledger; status says by its exit code when a person should look.
broken "s|^db = .*|db = \"$work/kiosk.bd\"|"
expect_exit 1 "status on a mistyped ledger path" "there is no ledger at $work/kiosk.bd" "$KIOSK" status --config "$work/broken.toml"
[ ! -e "$work/kiosk.bd" ] || fail "status made a ledger at the mistyped path"
"$KIOSK" simulate --events 5 --config "$config" >/dev/null
"$KIOSK" sync --config "$config" >/dev/null || fail "sync to a running hub failed"
expect_exit 0 "status when all is well" "^pending: +0" "$KIOSK" status --config "$config"
stop_hub
"$KIOSK" simulate --events 5 --config "$config" >/dev/null
"$KIOSK" sync --config "$config" >/dev/null 2>&1 && fail "sync with the hub stopped succeeded"
expect_exit 1 "status after a failed sync" "last error: +cannot reach the hub" "$KIOSK" status --config "$config"

# --- run: no window for a ledger that cannot take a tap, nor for a screen nobody sees.
broken "s|^db = .*|db = \"$work/no-such-dir/kiosk.db\"|"
expect_exit 1 "run with a ledger it cannot write" "the ledger $work/no-such-dir/kiosk.db \(\[kiosk\] db in $work/broken.toml\) cannot be written" \
  "$KIOSK" run --config "$work/broken.toml"
expect_exit 1 "run without a display" "no display: neither DISPLAY nor WAYLAND_DISPLAY is set" "$KIOSK" run --config "$config"
SDL_VIDEODRIVER=dummy expect_exit 1 "run on SDL's dummy driver" "SDL_VIDEODRIVER=dummy draws nowhere" "$KIOSK" run --config "$config"
echo "PASS"

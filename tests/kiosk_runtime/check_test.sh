#!/usr/bin/env bash
# `truthpoint-kiosk check` on a good installation and on a broken one: a kiosk provisioned the way the
# operations guide says (`kiosk add --write-config`), a real hub, a real X display (xvfb-run). Every line
# is OK on the good one (exit 0); on the broken one a FAIL line names each thing wrong (exit 1).
# Usage: check_test.sh KIOSK HUB ARTIFACTS_DIR (the two outputs are kept there).
set -euo pipefail
KIOSK=${1:?usage: check_test.sh KIOSK HUB ARTIFACTS_DIR}
HUB=${2:?}
artifacts=${3:?}
mkdir -p "$artifacts"
source "$(dirname "$0")/../e2e/lib.sh"
unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER

"$HUB" db init >/dev/null
start_hub
# The kiosk as provisioned: its file written by the hub; the ledger's directory made for the kiosk.
mkdir -p "$work/var"
"$HUB" kiosk add --kiosk k-001 --store s-042 --region north --hub-url "$hub_url" --languages en,fa,ar,el,tr \
  --write-config "$work/kiosk.toml" >/dev/null
other_token=$("$HUB" kiosk add --kiosk k-002 --store s-043 --region north | tail -n 1)
sed -i "s|^db = .*|db = \"$work/var/kiosk.db\"|" "$work/kiosk.toml"
expect_eq "$(stat -c %a "$work/kiosk.toml")" 600 "the provisioned file's mode"

in_display() { xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" "$@"; }

# --- A good installation: every line OK, exit 0.
code=0
in_display "$KIOSK" check --config "$work/kiosk.toml" >"$artifacts/check-good.txt" 2>&1 || code=$?
cat "$artifacts/check-good.txt"
expect_eq "$code" 0 "check's exit on a good installation"
for line in configuration "token file" ledger fonts display hub TLS token; do
  grep -Eq "^(OK|NOTE) +$line " "$artifacts/check-good.txt" || fail "no OK line for $line"
done
grep -q "^OK    token .*kiosk k-001 in store s-042 (region north)" "$artifacts/check-good.txt" || fail "token line"
grep -q "^NOTE  TLS .*not used (http://)" "$artifacts/check-good.txt" || fail "TLS note for http://"
grep -q "Noto Sans Arabic" "$artifacts/check-good.txt" || fail "the fonts line does not name the Arabic font"
[ ! -e "$work/var/kiosk.db" ] || fail "check made a ledger"
"$KIOSK" simulate --events 3 --config "$work/kiosk.toml" >/dev/null  # the kiosk's first start makes it
in_display "$KIOSK" check --config "$work/kiosk.toml" >"$work/out" 2>&1 || fail "check after the first start: $(cat "$work/out")"
grep -q "^OK    ledger .*is writable: 3 events pending" "$work/out" || fail "ledger line after the first start: $(cat "$work/out")"

# --- A broken one: another kiosk's token, in a file others may read; the ledger's directory missing; no
# display. Exit 1.
cp "$work/kiosk.toml" "$work/broken.toml"
chmod 0644 "$work/broken.toml"
sed -i "s|^token = .*|token = \"$other_token\"|; s|^db = .*|db = \"$work/missing/kiosk.db\"|" "$work/broken.toml"
code=0
"$KIOSK" check --config "$work/broken.toml" >"$artifacts/check-broken.txt" 2>&1 || code=$?
cat "$artifacts/check-broken.txt"
expect_eq "$code" 1 "check's exit on a broken installation"
grep -q "^FAIL  ledger .*$work/missing does not exist: create it" "$artifacts/check-broken.txt" || fail "ledger FAIL line"
grep -q "^FAIL  display .*no screen is connected" "$artifacts/check-broken.txt" || fail "display FAIL line"
grep -q "^FAIL  token .*belongs to kiosk k-002" "$artifacts/check-broken.txt" || fail "token FAIL line"
grep -q "^FAIL  token file .*broken.toml holds the hub token and is mode 0644, readable by other users: chmod 0600" \
  "$artifacts/check-broken.txt" || fail "token file FAIL line"
grep -q "^OK    hub " "$artifacts/check-broken.txt" || fail "the hub still answers"
grep -q "^4 of 8 checks failed" "$artifacts/check-broken.txt" || fail "the summary line"

# --- The hub away, and a configuration that does not load.
stop_hub
code=0
"$KIOSK" check --config "$work/kiosk.toml" >"$work/out" 2>&1 || code=$?
expect_eq "$code" 1 "check's exit with the hub away"
grep -q "^FAIL  hub .*cannot reach the hub" "$work/out" || fail "hub FAIL line: $(cat "$work/out")"
grep -q "^SKIP  token " "$work/out" || fail "token SKIP line: $(cat "$work/out")"
printf '[kiosk]\nid = "k-001"\n' >"$work/half.toml"
code=0
"$KIOSK" check --config "$work/half.toml" >"$work/out" 2>&1 || code=$?
expect_eq "$code" 1 "check's exit on a configuration that does not load"
grep -q "^FAIL  configuration .*kiosk.store is missing" "$work/out" || fail "configuration FAIL line: $(cat "$work/out")"
echo "PASS"

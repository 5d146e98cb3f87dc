#!/usr/bin/env bash
# `truthpoint-kiosk set-pin`: asks twice, stores only an argon2id hash, refuses bad or differing PINs.
source "$(dirname "$0")/lib.sh"

config="$work/kiosk.toml"
cat >"$config" <<TOML
# a hand-written comment that must survive
[kiosk]
id = "k-pin"
store = "s-1"
db = "$work/k.db"

[hub]
url = "http://127.0.0.1:9"
token = "t"
TOML
chmod 600 "$config"  # it holds the hub token

printf '2469\n2469\n' | "$KIOSK" set-pin --config "$config" >/dev/null || fail "set-pin failed"
expect_eq "$(stat -c %a "$config")" 600 "the config's mode after set-pin"
ls "$work" | grep -q 'kiosk.toml.tmp' && fail "set-pin left a temporary file"
grep -q '^pin_hash = "\$argon2id\$' "$config" || fail "no argon2id hash in the config"
grep -q '2469' "$config" && fail "the PIN itself was written"
grep -q '^# a hand-written comment that must survive' "$config" || fail "set-pin lost the rest of the file"
echo "ok: set-pin stored an argon2id hash"
before=$(grep '^pin_hash' "$config")

if printf '2579\n2578\n' | "$KIOSK" set-pin --config "$config" 2>"$work/err"; then fail "differing PINs accepted"; fi
grep -q "the two PINs differ" "$work/err" || fail "unclear error: $(cat "$work/err")"
if printf '12\n12\n' | "$KIOSK" set-pin --config "$config" 2>"$work/err"; then fail "a 2-digit PIN accepted"; fi
grep -q "4 to 12 digits" "$work/err" || fail "unclear error: $(cat "$work/err")"
if printf '4321\n4321\n' | "$KIOSK" set-pin --config "$config" 2>"$work/err"; then fail "a straight run accepted"; fi
grep -q "straight run of digits" "$work/err" || fail "unclear error: $(cat "$work/err")"
expect_eq "$(grep '^pin_hash' "$config")" "$before" "the PIN after refused changes"
expect_eq "$(grep -c '^pin_hash' "$config")" 1 "pin_hash lines"

chmod 640 "$config"
printf '2469\n2469\n' | "$KIOSK" set-pin --config "$config" >/dev/null || fail "set-pin failed"
expect_eq "$(stat -c %a "$config")" 640 "the config's mode after set-pin"
echo "PASS"

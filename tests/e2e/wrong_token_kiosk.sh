#!/usr/bin/env bash
# A kiosk whose configuration names k-001 but holds k-002's token sends nothing: `sync` exits 1 naming both
# kiosks and the file, `status` shows it, the hub holds nothing; with its own token it delivers.
source "$(dirname "$0")/lib.sh"

start_hub
enrol_kiosk k-001 s-042
enrol_kiosk k-002 s-042
config="$work/k-001.toml"
own_token=$(sed -n 's/^token = "\(.*\)"$/\1/p' "$config")
other_token=$(sed -n 's/^token = "\(.*\)"$/\1/p' "$work/k-002.toml")
sed -i "s/^token = .*/token = \"$other_token\"/" "$config"

"$KIOSK" simulate --events 40 --seed 7 --config "$config" >/dev/null
set +e
"$KIOSK" sync --config "$config" 2>"$work/sync.err"
code=$?
set -e
echo "another kiosk's token: $(cat "$work/sync.err")"
expect_eq "$code" 1 "sync's exit code with another kiosk's token"
grep -qF "the hub says this token belongs to kiosk k-002 in store s-042, but [kiosk] id is k-001 in $config" "$work/sync.err" \
  || fail "the message does not name both kiosks and the file"
grep -qF "truthpoint-hub kiosk rotate-token --kiosk k-001" "$work/sync.err" || fail "the message does not say what to do"
expect_eq "$(export_count)" 0 "events at the hub"
status=$("$KIOSK" status --json --config "$config") && fail "status exits 0 although nothing could be sent"
expect_eq "$(echo "$status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])')" 40 "pending events"
echo "$status" | python3 -c 'import json,sys; assert "belongs to kiosk k-002" in json.load(sys.stdin)["last_error"]' \
  || fail "status does not show why nothing was sent: $status"

sed -i "s/^token = .*/token = \"$own_token\"/" "$config"
"$KIOSK" sync --config "$config" >/dev/null || fail "sync with the kiosk's own token failed"
expect_eq "$(export_count)" 40 "events at the hub with the kiosk's own token"
expect_eq "$("$HUB" export --format ndjson | grep -c '"kiosk_id":"k-001"')" 40 "events filed under k-001"
echo "PASS"

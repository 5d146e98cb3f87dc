#!/usr/bin/env bash
# The running kiosk and a real hub: a tap under Xvfb reaches the hub through the kiosk's background
# uploader (no `sync` command), a shelf set at the hub (`truthpoint-hub config set`) replaces the local
# catalog between shoppers, and while the hub is down taps stay pending and arrive once it is back.
#
# usage: kiosk_hub_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_hub_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR}
hub_binary=${2:?}
assets=${3:?}
artifacts=${4:?}/kiosk-hub
mkdir -p "$artifacts"
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
e2e_failure_shot="$artifacts/failure.png"
e2e_start_hub "$hub_binary"
token=$("$hub_binary" kiosk add --kiosk k-e2e --store s-e2e | tail -n 1)
# The hub's shelf for this store: one product, only two drivers.
honey=5206142000310
cat >"$e2e_work/hub-config.json" <<JSON
{"format": 1,
 "catalog": {"products": [{"sku": "$honey", "names": {"en": "Hub's honey"}, "image": "wildflower-honey.png"}]},
 "questions": {"drivers": ["price", "packaging"], "why_not": ["price", "comparing"]}}
JSON
"$hub_binary" config set --store s-e2e --file "$e2e_work/hub-config.json" >/dev/null

e2e_start_xvfb
e2e_write_config "$assets" '["en", "fa"]'
sed -i "s|^url = .*|url = \"$hub_url\"|; s|^token = .*|token = \"$token\"|; s|^\[hub\]|[hub]\nsync_interval_seconds = 1|" \
    "$e2e_work/kiosk.toml"
e2e_start_kiosk "$kiosk_binary"
wait_for_screen attract

# The uploader's first pass pulls the hub's configuration; the shelf becomes one product: no grid.
for _ in $(seq 100); do [[ -s "$e2e_work/kiosk.db.hub-config.json" ]] && break; sleep 0.1; done
[[ -s "$e2e_work/kiosk.db.hub-config.json" ]] || fail "the kiosk did not save the hub's configuration"
sleep 1
tap start
wait_for_screen reaction "$e2e_seq"
screenshot "$artifacts/reaction-hub-shelf.png"
sleep 0.5
tap happy
wait_for_screen drivers "$e2e_seq"
[[ -n "$(target_coordinates price)" && -z "$(target_coordinates habit)" ]] || fail "the hub's questions were not applied"
echo "ok: the hub's shelf and questions are on screen"

# The tap reaches the hub on its own.
e2e_wait_for_hub_count fmot.reaction 1
"$hub_binary" export --format ndjson | grep '"type":"fmot.reaction"' | grep -q "\"sku\":\"$honey\"" \
    || fail "the reaction at the hub is not for the hub's product"
echo "ok: a tap reached the hub through the background uploader"
sleep 0.5
tap skip
wait_for_screen intent "$e2e_seq"
sleep 0.5
tap buy_now
wait_for_screen attract "$e2e_seq"

# The hub goes away: the next shopper's answers wait in the ledger, then arrive once.
port=${hub_url##*:}
e2e_stop_hub
sleep 0.5
tap start
wait_for_screen reaction "$e2e_seq"
sleep 0.5
tap very_unhappy
wait_for_screen drivers "$e2e_seq"
sleep 1.5
pending=$(sql "select count(*) from events where state = 'pending' and type = 'fmot.reaction'")
[[ "$pending" == 1 ]] || fail "expected the reaction pending while the hub is down, found $pending"
echo "ok: with the hub down the reaction is pending"
e2e_start_hub "$hub_binary" "127.0.0.1:$port"
e2e_wait_for_hub_count fmot.reaction 2
[[ "$(e2e_hub_count fmot.reaction)" == 2 ]] || fail "the hub holds $(e2e_hub_count fmot.reaction) reactions, expected 2"
echo "ok: after the hub's restart the pending reaction arrived, once"

stop_kiosk
e2e_stop_hub
echo PASS

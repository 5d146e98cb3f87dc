#!/usr/bin/env bash
# The hub's alerts on the kiosk's staff menu, end to end: a shopper's pain reaches a real hub over HTTP and
# opens a case for the store (another store's pain opens one the kiosk must not show); the running kiosk
# pulls its configuration, and "What shoppers just said" lists the case as open (English). A manager
# acknowledges it through the hub's API: the kiosk's next pull shows it taken up (Persian); closed, it is
# gone. Screenshots of each to look at.
#
# usage: kiosk_alerts_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_alerts_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR}
hub_binary=${2:?}
assets=${3:?}
artifacts=${4:?}/kiosk-alerts
mkdir -p "$artifacts"
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
e2e_failure_shot="$artifacts/failure.png"
e2e_start_hub "$hub_binary"
token=$("$hub_binary" kiosk add --kiosk k-e2e --store s-e2e --region north | tail -n 1)
other_token=$("$hub_binary" kiosk add --kiosk k-other --store s-other --region north | tail -n 1)
printf 'e2e-password-1\ne2e-password-1\n' | "$hub_binary" user add --name zoe --role admin >/dev/null 2>&1 ||
    fail "truthpoint-hub user add could not add an admin"
honey=5206142000310
cat >"$e2e_work/hub-config.json" <<JSON
{"format": 1,
 "catalog": {"products": [{"sku": "$honey", "names": {"en": "Wildflower Honey"}, "image": "wildflower-honey.png"}]},
 "questions": {"drivers": ["price", "packaging"], "why_not": ["price", "comparing"]}}
JSON
"$hub_binary" config set --all --file "$e2e_work/hub-config.json" >/dev/null

# The hub's API, as a till or a browser calls it. usage: hub_api METHOD PATH BEARER [JSON_BODY]
hub_api() {
    python3 - "$hub_url" "$@" <<'PY'
import json, sys, urllib.request
base, method, path, bearer = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
request = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + bearer, "Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as response:
    print(response.read().decode())
PY
}
# A shopper's pain at the till side of a store, sent as that store's kiosk would. usage: report_pain TOKEN
report_pain() {
    local batch
    batch=$(python3 - "$honey" <<'PY'
import datetime, json, secrets, sys, time
def uuid_v7():
    value = ((time.time_ns() // 1_000_000) & ((1 << 48) - 1)) << 80 | 0x7 << 76 | secrets.randbits(12) << 64
    value |= 0b10 << 62 | secrets.randbits(62)
    text = f"{value:032x}"
    return f"{text[0:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
event = {"id": uuid_v7(), "type": "pain.reported", "occurred_at": now, "session_id": uuid_v7(), "locale": "en",
         "sku": sys.argv[1], "data": {"moment": "smot", "reason": "pain_topics", "topics": ["checkout"]}}
print(json.dumps({"batch_id": uuid_v7(), "events": [event]}))
PY
)
    hub_api POST /api/v1/batches "$1" "$batch" | grep -q '"accepted":1' || fail "the hub did not accept the pain"
}
report_pain "$token"
report_pain "$other_token"
echo "ok: a pain at s-e2e and one at s-other opened a case each at the hub"

e2e_start_xvfb
e2e_write_config "$assets" '["en", "fa"]'
printf '4826\n4826\n' | "$kiosk_binary" set-pin --config "$e2e_work/kiosk.toml" >/dev/null 2>&1 ||
    fail "truthpoint-kiosk set-pin could not store a PIN"
sed -i "s|^url = .*|url = \"$hub_url\"|; s|^token = .*|token = \"$token\"|; s|^\[hub\]|[hub]\nsync_interval_seconds = 1|" \
    "$e2e_work/kiosk.toml"
cp "$e2e_work/kiosk.toml" "$e2e_work/kiosk-en.toml"

# Waits until the kiosk's log says the configuration it installed holds N alerts.
wait_for_alert_count() {
    for _ in $(seq 150); do
        grep -q "open alerts for this store: $1\$" "$e2e_work/kiosk.log" && return 0
        sleep 0.1
    done
    fail "the kiosk did not install a configuration with $1 open alerts"
}
unlock_to_alerts() {
    wait_for_screen attract
    unlock_staff 4 8 2 6
    wait_for_screen staff_shelf_products "$e2e_seq"
    tap tab_shoppers_said
    wait_for_screen staff_shoppers_said "$e2e_seq"
}

e2e_start_kiosk "$kiosk_binary"
wait_for_alert_count 1
grep -q '"alerts":\[{' "$e2e_work/kiosk.db.hub-config.json" || fail "the saved configuration holds no alerts"
unlock_to_alerts
sleep 0.5
[[ -n "$(target_coordinates hub_alerts_1)" ]] || fail "the page does not show one alert from the hub"
[[ -n "$(target_coordinates hub_alert_pain_open)" ]] || fail "the page does not show the store's pain as open"
screenshot "$artifacts/alerts_en.png"
echo "ok: the store's pain is on the staff page as an open alert (the other store's is not)"

# A manager acknowledges the case at the hub. Kiosks pull their configuration every 5 minutes and at start:
# the kiosk started again, in Persian, shows it taken up, right to left.
session=$(hub_api POST /api/v1/sessions none '{"name": "zoe", "password": "e2e-password-1"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
case_id=$(hub_api GET "/api/v1/cases?store=s-e2e" "$session" |
    python3 -c 'import json, sys; print(next(c["id"] for c in json.load(sys.stdin)["cases"] if c["state"] == "open"))')
hub_api POST "/api/v1/cases/$case_id/acknowledge" "$session" '{"note": "on my way"}' >/dev/null
stop_kiosk
sed 's|^languages = .*|languages = ["fa", "en"]|' "$e2e_work/kiosk-en.toml" >"$e2e_work/kiosk.toml"
e2e_start_kiosk "$kiosk_binary"
wait_for_alert_count 1
unlock_to_alerts
sleep 0.5
[[ "$(field locale)" == fa ]] || fail "the staff menu is in $(field locale), expected fa"
[[ -n "$(target_coordinates hub_alert_pain_acknowledged)" ]] || fail "the kiosk does not show the acknowledgement"
screenshot "$artifacts/alerts_acknowledged_fa.png"
echo "ok: acknowledged at the hub, the kiosk's Persian page shows a manager is on it"

# Closed at the hub: the next pull brings no alert, and the page says so.
hub_api POST "/api/v1/cases/$case_id/close" "$session" '{"cause": "service", "note": "sorted"}' >/dev/null
stop_kiosk
e2e_start_kiosk "$kiosk_binary"
wait_for_alert_count 0
unlock_to_alerts
sleep 0.5
[[ -n "$(target_coordinates hub_alerts_0)" ]] || fail "the page does not say there is no open alert"
screenshot "$artifacts/no_alerts_fa.png"
echo "ok: closed at the hub, the page shows no open alert"
stop_kiosk
e2e_stop_hub
echo "PASS: the hub's alerts on the staff menu"

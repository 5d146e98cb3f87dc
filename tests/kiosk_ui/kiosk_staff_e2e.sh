#!/usr/bin/env bash
# Staff mode end to end, with a real hub: unlock with the PIN, choose a product on the staff grid, log five
# actions at the shelf, undo one, and see the tally; the ledger holds exactly those events with that
# product's sku. "Sync now" on the health page changes the counts (the automatic pass is an hour away),
# and the hub then holds the same events. Wrong PINs lock the pad, even against the right PIN; "Exit kiosk"
# asks first, and the kiosk ends only on the yes.
#
# usage: kiosk_staff_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_staff_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR}
hub_binary=${2:?}
assets=${3:?}
artifacts=${4:?}/kiosk-staff
mkdir -p "$artifacts"
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
e2e_failure_shot="$artifacts/failure.png"
e2e_start_hub "$hub_binary"
token=$("$hub_binary" kiosk add --kiosk k-e2e --store s-e2e | tail -n 1)

e2e_start_xvfb
e2e_write_config "$assets" '["en", "fa"]'
printf '4826\n4826\n' | "$kiosk_binary" set-pin --config "$e2e_work/kiosk.toml" >/dev/null 2>&1 ||
    fail "truthpoint-kiosk set-pin could not store a PIN"
# The first pass runs at start; the next would be an hour later: only "Sync now" sends the staff's taps.
sed -i "s|^url = .*|url = \"$hub_url\"|; s|^token = .*|token = \"$token\"|; s|^\[hub\]|[hub]\nsync_interval_seconds = 3600|" \
    "$e2e_work/kiosk.toml"
e2e_start_kiosk "$kiosk_binary"
wait_for_screen attract
e2e_wait_for_hub_count kiosk.heartbeat 1  # the first pass is over

unlock_staff 4 8 2 6
wait_for_screen staff_shelf_products "$e2e_seq"
jam=5905471003701
tap "staff_product_$jam"
wait_for_screen staff_shelf_log "$e2e_seq"
for observation in picked_up read_label compared picked_up added_to_basket; do
    tap "$observation"
    sleep 0.15
done
tap undo  # the last tap, "added to basket", was a mistake
sleep 0.5
wait_for_screen staff_shelf_log "$e2e_seq"
screenshot "$artifacts/shelf_log.png"
for tally in picked_up_2 read_label_1 compared_1 added_to_basket_0 put_back_0; do
    [[ -n "$(target_coordinates "tally_$tally")" ]] || fail "the tally does not read $tally"
done
[[ -z "$(target_coordinates undo)" ]] || fail "Undo is still offered after it was used"
echo "ok: five taps and an undo, the tally reads 2 picked up, 1 read the label, 1 compared"

shelf_events=$(sql "select json_extract(payload, '$.data.observation') || '/' || json_extract(payload, '$.sku')
                    from events where type = 'staff.shelf' order by seq" | tr '\n' ' ')
expected="picked_up/$jam read_label/$jam compared/$jam picked_up/$jam added_to_basket/$jam "
[[ "$shelf_events" == "$expected" ]] || fail "the ledger's shelf events read '$shelf_events'"
undone=$(sql "select json_extract(payload, '$.data.undoes') from events where type = 'staff.undo'")
last_shelf=$(sql "select id from events where type = 'staff.shelf' order by seq desc limit 1")
[[ "$undone" == "$last_shelf" ]] || fail "the undo names '$undone', not the last shelf tap '$last_shelf'"
echo "ok: the ledger holds exactly those five events for $jam and one undo naming the last"

# Kiosk health: the taps wait; Sync now sends them, and the counts change.
tap tab_health
wait_for_screen staff_health "$e2e_seq"
pending_before=$(grep -o '^target health_pending_[0-9]*' "$e2e_work/targets" | grep -o '[0-9]*$')
[[ "$pending_before" -ge 6 ]] || fail "the health page shows $pending_before waiting, expected the staff's 6 events or more"
[[ "$(e2e_hub_count staff.shelf)" == 0 ]] || fail "the shelf taps reached the hub before Sync now"
tap sync_now
for _ in $(seq 100); do grep -q '^target health_pending_0 ' "$e2e_work/targets" && break; sleep 0.1; done
grep -q '^target health_pending_0 ' "$e2e_work/targets" || fail "Sync now did not empty the queue"
grep -q '^target health_delivered_[1-9]' "$e2e_work/targets" || fail "the delivered count did not grow"
screenshot "$artifacts/health_after_sync.png"
[[ "$(e2e_hub_count staff.shelf)" == 5 && "$(e2e_hub_count staff.undo)" == 1 ]] ||
    fail "the hub holds $(e2e_hub_count staff.shelf) shelf events and $(e2e_hub_count staff.undo) undos"
echo "ok: Sync now took the waiting count from $pending_before to 0; the hub holds the 5 taps and the undo"

# Five wrong PINs lock the pad: the right PIN is then refused too, unchecked.
tap back_to_shoppers
wait_for_screen attract "$e2e_seq"
hold staff_corner 3.3
wait_for_screen staff_pin "$e2e_seq"
for _ in 1 2 3 4 5; do
    for digit in 1 3 5 7; do tap "digit_$digit"; done
    tap submit
    sleep 0.5  # argon2id checks the PIN on its own thread
done
for digit in 4 8 2 6; do tap "digit_$digit"; done
tap submit
sleep 1
[[ "$(field screen)" == staff_pin ]] || fail "the right PIN opened a locked pad (showing $(field screen))"
screenshot "$artifacts/pin_locked.png"
audit=$(sql "select group_concat(json_extract(payload, '$.data.outcome'), ' ') from events where type = 'staff.pin'")
[[ "$audit" == "correct wrong wrong wrong wrong wrong locked_out" ]] || fail "the PIN audit reads '$audit'"
tap cancel
wait_for_screen attract "$e2e_seq"
echo "ok: five wrong PINs lock the pad; the right one is refused during the lockout"

# Exit asks first; only the yes ends the kiosk. (A new kiosk process: this one's pad is locked for a minute.)
stop_kiosk
e2e_start_kiosk "$kiosk_binary"
wait_for_screen attract
unlock_staff 4 8 2 6
wait_for_screen staff_shelf_products "$e2e_seq"
tap exit_kiosk
wait_for_screen staff_confirm_exit "$e2e_seq"
screenshot "$artifacts/confirm_exit.png"
tap stay
wait_for_screen staff_shelf_products "$e2e_seq"
kill -0 "$e2e_kiosk_pid" || fail "the kiosk ended on Stay"
tap exit_kiosk
wait_for_screen staff_confirm_exit "$e2e_seq"
tap confirm_exit
for _ in $(seq 100); do kill -0 "$e2e_kiosk_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$e2e_kiosk_pid" 2>/dev/null; then fail "the kiosk did not end on \"Exit kiosk\""; fi
wait "$e2e_kiosk_pid" || fail "the kiosk ended with status $? on \"Exit kiosk\""
e2e_kiosk_pid=""
echo "ok: Exit kiosk asks first; Stay keeps it, the yes ends it with status 0"
echo "PASS: staff mode end to end"

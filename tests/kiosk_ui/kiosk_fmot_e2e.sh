#!/usr/bin/env bash
# End to end on a real X server (Xvfb, 1920×1080): xdotool taps through the whole first-moment-of-truth
# flow (attract → product → reaction → drivers → intent "not buying" → why not → thank you) in English
# and again in Persian, and checks the events in the kiosk's SQLite ledger (locale, sku, values, no misuse
# flag). Also: Escape and Alt+F4 leave the kiosk running and drawing; a scanned barcode picks the product;
# Back leaves a session; SIGTERM ends the kiosk cleanly.
#
# usage: kiosk_fmot_e2e.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_fmot_e2e.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR}
assets=${2:?usage: kiosk_fmot_e2e.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR}
artifacts=${3:?usage: kiosk_fmot_e2e.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR}/fmot
mkdir -p "$artifacts"
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
e2e_failure_shot="$artifacts/fmot-failure.png"
e2e_start_xvfb
echo "Xvfb on $DISPLAY"
e2e_write_config "$assets" '["en", "fa", "ar", "el", "tr"]'
e2e_start_kiosk "$kiosk_binary"

# The anti-abuse rule flags 6 taps within 2 s: a calm shopper's pace keeps these sessions unflagged.
calm_tap() {
    sleep 0.42
    tap "$1"
}

sku=5206142000310   # Wildflower Honey, the first product of assets/catalog/catalog.json

# usage: run_flow LANGUAGE_TARGET REACTION "DRIVER..." WHY_NOT
run_flow() {
    local language_target=$1 reaction=$2 drivers=$3 why_not=$4 driver
    [[ "$(field screen)" == attract ]] || fail "a flow must start on the attract screen"
    calm_tap "$language_target"
    wait_for_screen pick "$e2e_seq"
    calm_tap "product_$sku"
    wait_for_screen reaction "$e2e_seq"
    calm_tap "$reaction"
    wait_for_screen drivers "$e2e_seq"
    for driver in $drivers; do calm_tap "$driver"; done
    calm_tap next
    wait_for_screen intent "$e2e_seq"
    calm_tap not_buying
    wait_for_screen why_not "$e2e_seq"
    calm_tap "$why_not"
    wait_for_screen thank_you "$e2e_seq"
    wait_for_screen attract "$e2e_seq"
}

# usage: check_session LOCALE REACTION DRIVERS_JSON WHY_NOT
check_session() {
    local locale=$1 reaction=$2 drivers=$3 why_not=$4 session
    session=$(sql "select json_extract(payload, '\$.session_id') from events where type = 'fmot.reaction'
                   and json_extract(payload, '\$.locale') = '$locale'")
    [[ $(wc -l <<<"$session") == 1 && -n "$session" ]] || fail "expected one $locale reaction, found: '$session'"
    local in_session="from events where json_extract(payload, '\$.session_id') = '$session'"
    local got
    got=$(sql "select json_extract(payload, '\$.data.reaction') || ' ' || json_extract(payload, '\$.sku')
               $in_session and type = 'fmot.reaction'")
    [[ "$got" == "$reaction $sku" ]] || fail "$locale: reaction and sku '$got', expected '$reaction $sku'"
    got=$(sql "select json_extract(payload, '\$.data.drivers') $in_session and type = 'fmot.driver'")
    [[ "$got" == "$drivers" ]] || fail "$locale: drivers '$got', expected '$drivers'"
    got=$(sql "select json_extract(payload, '\$.data.intent') || ' ' || json_extract(payload, '\$.data.why_not')
               $in_session and type = 'fmot.intent'")
    [[ "$got" == "not_buying $why_not" ]] || fail "$locale: intent '$got', expected 'not_buying $why_not'"
    got=$(sql "select json_extract(payload, '\$.data.outcome') $in_session and type = 'session.end'")
    [[ "$got" == completed ]] || fail "$locale: session.end outcome '$got', expected completed"
    got=$(sql "select count(*) $in_session and json_extract(payload, '\$.locale') != '$locale'")
    [[ "$got" == 0 ]] || fail "$locale: $got events of the session carry another locale"
    got=$(sql "select count(*) $in_session and json_extract(payload, '\$.data.misuse') is not null")
    [[ "$got" == 0 ]] || fail "$locale: $got events flagged as misuse at a calm pace"
    got=$(sql "select count(*) $in_session and json_extract(payload, '\$.data.ms_to_answer') > 0")
    (( got >= 2 )) || fail "$locale: answers without their time since the first touch"
    echo "ledger ($locale): $reaction, drivers $drivers, not_buying because $why_not, completed"
}

wait_for_screen attract
# Escape, Alt+F4 and a stray key: the kiosk stays, and still draws (a tap still works afterwards).
xdotool key Escape
xdotool key alt+F4
xdotool key ctrl+q
sleep 0.5
kill -0 "$e2e_kiosk_pid" 2>/dev/null || fail "the kiosk exited after Escape / Alt+F4"
echo "Escape, Alt+F4, Ctrl+Q: the kiosk is still running"

run_flow start happy "packaging price" price
screenshot "$artifacts/after-english.png"
check_session en happy '["packaging","price"]' price

run_flow lang_fa very_happy "promotion" other_brand
check_session fa very_happy '["promotion"]' other_brand

# A scanner types digits fast and Enter: the product is picked, the reaction screen shows.
xdotool type --delay 5 "5905471003701"
xdotool key Return
wait_for_screen reaction "$e2e_seq"
# An unknown code is refused ("We don't know this barcode"), and the screen stays.
xdotool type --delay 5 "1234567890128"
xdotool key Return
sleep 0.3
screenshot "$artifacts/unknown-barcode.png"
[[ "$(field screen)" == reaction ]] || fail "an unknown barcode left the reaction screen"
# Back, twice: to the products, then out of the session (abandoned).
calm_tap back
wait_for_screen pick "$e2e_seq"
calm_tap back
wait_for_screen attract "$e2e_seq"
outcome=$(sql "select json_extract(payload, '\$.data.outcome') from events where type = 'session.end'
               order by rowid desc limit 1")
[[ "$outcome" == abandoned ]] || fail "leaving by Back ended the session as '$outcome', expected abandoned"
echo "scanner: picked 5905471003701; Back: session abandoned"

before=$(cpu_ticks); sleep 5; after=$(cpu_ticks)
echo "CPU on the attract screen: $((after - before)) ticks (1/100 s) in 5 s"
(( after - before <= 40 )) || fail "the kiosk used $((after - before)) CPU ticks in 5 s on attract: is it busy-looping?"

stop_kiosk
echo "PASS: screenshots in $artifacts"

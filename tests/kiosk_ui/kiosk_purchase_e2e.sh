#!/usr/bin/env bash
# The post-purchase moments end to end: a real hub hands out the chain's receipt key, an offer and an
# approved review; the review shows on the kiosk's attract screen; a shopper types a receipt number on the
# keypad, answers, types a Persian comment on the on-screen keyboard and ends on a sorry card whose QR code,
# read from a screenshot by zbarimg, is the code in the ledger and at the hub; a second shopper types a Greek
# comment, finished on a physical keyboard. The ledger holds exactly the text typed; the receipt number is nowhere: not in the kiosk's
# database, its WAL, its log, nor the hub's database.
#
# usage: kiosk_purchase_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_purchase_e2e.sh KIOSK_BINARY HUB_BINARY ASSETS_DIR ARTIFACTS_DIR}
hub_binary=${2:?}
assets=${3:?}
artifacts=${4:?}/kiosk-purchase
mkdir -p "$artifacts"
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
command -v zbarimg >/dev/null || fail "zbarimg is not installed (zbar-tools)"
e2e_failure_shot="$artifacts/failure.png"
e2e_start_hub "$hub_binary"
token=$("$hub_binary" kiosk add --kiosk k-e2e --store s-e2e | tail -n 1)

honey=5206142000310
jam=5905471003701
review="Πολύ καλό μέλι, το παίρνουμε κάθε εβδομάδα."
cat >"$e2e_work/hub-config.json" <<JSON
{"format": 1,
 "catalog": {"products": [
   {"sku": "$honey", "names": {"en": "Wildflower Honey", "fa": "عسل گل‌های وحشی", "el": "Μέλι ανθέων"}, "image": "wildflower-honey.png"},
   {"sku": "$jam", "names": {"en": "Strawberry Jam", "fa": "مربای توت‌فرنگی", "el": "Μαρμελάδα φράουλα"}, "image": "strawberry-jam.png"}]},
 "questions": {"drivers": ["price", "packaging"], "why_not": ["price", "comparing"]},
 "reviews": [{"sku": "$honey", "text": "$review", "rating": 5, "locale": "el"}],
 "offers": [{"sku": "$honey", "text": "۱۰٪ تخفیف برای خرید بعدی", "locale": "fa"},
            {"sku": "$honey", "text": "10% off your next jar", "locale": "en"}]}
JSON
"$hub_binary" config set --store s-e2e --file "$e2e_work/hub-config.json" >/dev/null

e2e_start_xvfb
e2e_write_config "$assets" '["en", "fa", "el"]'
e2e_set_receipt_pattern "[0-9]{12}"
sed -i "s|^url = .*|url = \"$hub_url\"|; s|^token = .*|token = \"$token\"|; s|^\[hub\]|[hub]\nsync_interval_seconds = 1|" \
    "$e2e_work/kiosk.toml"
e2e_start_kiosk "$kiosk_binary"
wait_for_screen attract

# The hub's document arrives with the receipt key the hub made at its first start.
for _ in $(seq 100); do grep -q receipt_key "$e2e_work/kiosk.db.hub-config.json" 2>/dev/null && break; sleep 0.1; done
grep -q receipt_key "$e2e_work/kiosk.db.hub-config.json" || fail "the kiosk has no receipt key from the hub"

# The approved review is shown when the honey's turn comes (two products, six seconds each).
for _ in $(seq 300); do grep -q '^target review_el' "$e2e_work/targets" 2>/dev/null && break; sleep 0.1; done
grep -q '^target review_el' "$e2e_work/targets" || fail "the hub's approved review did not appear on the attract screen"
screenshot "$artifacts/attract-review.png"
echo "ok: the review the hub approved is on the attract screen"

# First shopper: the receipt on the keypad, a low rating, a pain, a Persian comment, consent, a sorry card.
receipt=902611223344
tap post_purchase
wait_for_screen receipt "$e2e_seq"
for ((i = 0; i < ${#receipt}; i++)); do tap "keypad_${receipt:i:1}"; sleep 0.03; done
tap keypad_done
wait_for_screen purchase_pick "$e2e_seq"
tap "product_$honey"
wait_for_screen rating "$e2e_seq"
tap star_2
wait_for_screen expectations "$e2e_seq"
tap expectations_below
wait_for_screen recommend "$e2e_seq"
tap recommend_2
wait_for_screen topics "$e2e_seq"
tap pain_quality
sleep 0.3
tap next
wait_for_screen comment "$e2e_seq"
tap key_language  # en → fa: the kiosk's languages in order
wait_for_screen comment "$e2e_seq"
[[ -n "$(target_coordinates key_خ)" ]] || fail "the language key did not bring the Persian keyboard"
persian="خیلی بد بود، بسته باز بود"
type_on_keyboard "$persian"
sleep 0.5
screenshot "$artifacts/comment-fa.png"
tap next
wait_for_screen consent "$e2e_seq"
tap consent_yes
wait_for_screen sorry "$e2e_seq"
sleep 0.5
screenshot "$artifacts/sorry-card.png"
scanned=$(zbarimg --raw -q "$artifacts/sorry-card.png") || fail "zbarimg found no QR code on the sorry card"
ledger_code=$(sql "select json_extract(payload, '$.data.code') from events where type = 'sorry.card'")
[[ -n "$ledger_code" && "$scanned" == "$ledger_code" ]] || fail "the QR code reads '$scanned', the ledger's card '$ledger_code'"
echo "ok: the sorry card's QR code ($scanned) is the code in the ledger"
stored=$(sql "select json_extract(payload, '$.data.comment') from events where type = 'smot.comment'")
[[ "$stored" == "$persian" ]] || fail "the ledger holds the comment '$stored', typed was '$persian'"
echo "ok: the Persian comment is stored exactly as typed"
tap done
wait_for_screen attract "$e2e_seq"

# Second shopper: no receipt, five stars, a Greek comment, no consent: the plain thank-you.
tap post_purchase
wait_for_screen receipt "$e2e_seq"
tap skip
wait_for_screen purchase_pick "$e2e_seq"
tap "product_$jam"
wait_for_screen rating "$e2e_seq"
tap star_5
for step in expectations recommend topics; do
    wait_for_screen "$step" "$e2e_seq"
    tap skip
done
wait_for_screen comment "$e2e_seq"
tap key_language
wait_for_screen comment "$e2e_seq"
tap key_language  # fa → el
wait_for_screen comment "$e2e_seq"
[[ -n "$(target_coordinates key_λ)" ]] || fail "the language key did not bring the Greek keyboard"
greek="πολύ καλή ποιότητα, θα το ξαναπάρω"
type_on_keyboard "$greek"
# A physical keyboard types at the end too, and Backspace erases there (its digits are text here, not a scan).
xdotool type --delay 60 " 5/55"
xdotool key BackSpace
greek+=" 5/5"
sleep 0.5
screenshot "$artifacts/comment-el.png"
tap next
wait_for_screen consent "$e2e_seq"
tap consent_no
wait_for_screen purchase_thank_you "$e2e_seq"
stored=$(sql "select json_extract(payload, '$.data.comment') from events where type = 'smot.comment' order by seq desc limit 1")
[[ "$stored" == "$greek" ]] || fail "the ledger holds the comment '$stored', typed was '$greek'"
echo "ok: the Greek comment is stored exactly as typed"

# Everything reaches the hub, the card's code with it.
e2e_wait_for_hub_count umot.consent 2
"$hub_binary" export --format ndjson | grep '"type":"sorry.card"' | grep -q "\"code\":\"$ledger_code\"" ||
    fail "the hub's sorry card does not carry the code $ledger_code"
echo "ok: the answers and the sorry card reached the hub"

# The receipt number typed on the keypad is nowhere: only its keyed hash travelled.
stop_kiosk
e2e_stop_hub
for file in "$e2e_work"/kiosk.db* "$e2e_work/kiosk.log" "$e2e_work"/hub.db* "$e2e_work/hub.log"; do
    [[ -e "$file" ]] || continue
    if grep -a -q "$receipt" "$file"; then fail "the receipt number $receipt is in $file"; fi
done
sql "select count(*) from events where json_extract(payload, '$.data.receipt_hash') is not null" | grep -q '^[1-9]' ||
    fail "no answer carries the receipt's hash"
echo "ok: the receipt number is in none of kiosk.db, its WAL, the kiosk's log, hub.db, its WAL or the hub's log"
echo "PASS"

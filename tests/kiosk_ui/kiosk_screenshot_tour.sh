#!/usr/bin/env bash
# A scripted tour of every screen in every language, for people to look at (Persian and Arabic joined and
# right to left with mirrored layouts; Greek and Turkish letters right; text inside its buttons at both
# text sizes). Saves ARTIFACTS_DIR/screens/<lang>/<screen>.png: attract, pick, pick_large, reaction,
# drivers, drivers_large, intent, why_not, idle_warning, thank_you, staff_pin, staff_shelf_products,
# staff_shelf_log, staff_health (after "Sync now"), staff_confirm_exit, and after a purchase: attract_review, receipt_refused, receipt, purchase_pick, rating,
# expectations, recommend, topics, comment_empty, comment (typed on the on-screen keyboard), consent, sorry
# (the card with its QR code), purchase_thank_you; then staff_shoppers_said (the pain marked seen) and
# staff_pin_locked.
# Fails when a screen does not appear; what the pictures show is for a person to judge.
#
# usage: kiosk_screenshot_tour.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR [LANGUAGE...]
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_screenshot_tour.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR [LANGUAGE...]}
assets=${2:?usage: kiosk_screenshot_tour.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR [LANGUAGE...]}
screens=${3:?usage: kiosk_screenshot_tour.sh KIOSK_BINARY ASSETS_DIR ARTIFACTS_DIR [LANGUAGE...]}/screens
shift 3
all_languages=(en fa ar el tr)
tour_languages=("$@")
(( ${#tour_languages[@]} > 0 )) || tour_languages=("${all_languages[@]}")
# shellcheck source=kiosk_e2e_lib.sh
source "$(dirname "$0")/kiosk_e2e_lib.sh"

e2e_require_tools
e2e_failure_shot="$screens/tour-failure-${tour_languages[0]}.png"; mkdir -p "$screens"
e2e_start_xvfb
echo "Xvfb on $DISPLAY"

# The staff PIN's argon2id hash, made by the kiosk's own set-pin (it reads the PIN twice from stdin).
e2e_write_config "$assets" '["en"]'
printf '4826\n4826\n' | "$kiosk_binary" set-pin --config "$e2e_work/kiosk.toml" >/dev/null 2>&1 ||
    fail "truthpoint-kiosk set-pin could not store a PIN"
pin_hash=$(awk -F'"' '/^pin_hash/ { print $2 }' "$e2e_work/kiosk.toml")
[[ -n "$pin_hash" ]] || fail "set-pin wrote no pin_hash"

for language in "${tour_languages[@]}"; do
    out="$screens/$language"
    mkdir -p "$out"
    # The tour's language first (the kiosk's default), then the others for the picker.
    list="\"$language\""
    for other in "${all_languages[@]}"; do [[ "$other" == "$language" ]] || list+=", \"$other\""; done
    # A short idle time: the warning shows after 4 s still (the last third of 6 s is the countdown).
    e2e_write_config "$assets" "[$list]" 6 "$pin_hash"
    # The hub's configuration as the kiosk saved it: a receipt key, offers and approved reviews.
    e2e_set_receipt_pattern "[0-9]{12}"
    e2e_write_saved_hub_config "$assets"
    e2e_start_kiosk "$kiosk_binary"
    e2e_seq=0

    wait_for_screen attract
    sleep 0.3  # a pulse step, so the picture shows the animation mid-way
    screenshot "$out/attract.png"
    tap start
    wait_for_screen pick "$e2e_seq"
    [[ "$(field locale)" == "$language" ]] || fail "the pick screen shows locale $(field locale), expected $language"
    screenshot "$out/pick.png"
    tap larger_text
    wait_for_screen pick "$e2e_seq"
    screenshot "$out/pick_large.png"
    tap larger_text
    wait_for_screen pick "$e2e_seq"
    tap product_5206142000310
    wait_for_screen reaction "$e2e_seq"
    screenshot "$out/reaction.png"
    tap happy
    wait_for_screen drivers "$e2e_seq"
    tap packaging
    tap online_reviews
    sleep 0.6  # no publication marks a toggle: give the frames time under a loaded CI box
    screenshot "$out/drivers.png"
    tap larger_text
    wait_for_screen drivers "$e2e_seq"
    screenshot "$out/drivers_large.png"
    tap larger_text
    wait_for_screen drivers "$e2e_seq"
    tap next
    wait_for_screen intent "$e2e_seq"
    screenshot "$out/intent.png"
    tap not_buying
    wait_for_screen why_not "$e2e_seq"
    screenshot "$out/why_not.png"
    # Left alone, the kiosk asks whether the shopper is still there and counts down.
    wait_for_screen idle "$e2e_seq" 160
    sleep 0.2
    screenshot "$out/idle_warning.png"
    tap continue
    wait_for_screen why_not "$e2e_seq"
    tap price
    wait_for_screen thank_you "$e2e_seq"
    screenshot "$out/thank_you.png"
    wait_for_screen attract "$e2e_seq"

    # Staff: hold the top-left corner, enter the PIN, choose a product, log what is seen at the shelf.
    hold staff_corner 3.3
    wait_for_screen staff_pin "$e2e_seq"
    tap digit_4
    tap digit_8
    sleep 0.6
    screenshot "$out/staff_pin.png"
    tap digit_2
    tap digit_6
    tap submit
    wait_for_screen staff_shelf_products "$e2e_seq"
    screenshot "$out/staff_shelf_products.png"
    tap staff_product_5905471003701
    wait_for_screen staff_shelf_log "$e2e_seq"
    tap picked_up
    tap picked_up
    tap put_back
    wait_for_screen staff_shelf_log "$e2e_seq"
    [[ -n "$(target_coordinates undo)" ]] || fail "$language: no Undo after a shelf tap"
    sleep 0.3
    screenshot "$out/staff_shelf_log.png"
    tap undo
    # The uploader's state in words: the hub of this test is unreachable, so it says what to do; "Sync now"
    # returns at once (the uploader retries on its own thread) and the menu stays live.
    tap tab_health
    wait_for_screen staff_health "$e2e_seq"
    [[ -n "$(target_coordinates health_facts)" ]] || fail "$language: the health page shows no facts"
    tap sync_now
    sleep 1.3  # the page reads the uploader's state about once a second
    screenshot "$out/staff_health.png"
    # "Exit kiosk" asks first; staying goes back to the menu.
    tap exit_kiosk
    wait_for_screen staff_confirm_exit "$e2e_seq"
    screenshot "$out/staff_confirm_exit.png"
    tap stay
    wait_for_screen staff_health "$e2e_seq"
    tap back_to_shoppers
    wait_for_screen attract "$e2e_seq"

    # After a purchase: an approved review on the attract screen (six products, six seconds each: the honey's
    # or the jam's turn comes within 30 s),
    # the receipt (refused, then accepted), every question, the comment typed on the on-screen keyboard,
    # consent, and the sorry card with its QR code; then a happy shopper's thank-you.
    for _ in $(seq 400); do grep -q '^target review_' "$e2e_work/targets" 2>/dev/null && break; sleep 0.1; done
    grep -q '^target review_' "$e2e_work/targets" || fail "$language: no approved review on the attract screen"
    screenshot "$out/attract_review.png"
    tap post_purchase
    wait_for_screen receipt "$e2e_seq"
    for digit in 9 0 2 6; do tap "keypad_$digit"; done
    tap keypad_done
    sleep 0.6
    screenshot "$out/receipt_refused.png"
    for digit in 1 1 2 2 3 3 4 4; do tap "keypad_$digit"; done
    sleep 0.4
    screenshot "$out/receipt.png"
    tap keypad_done
    wait_for_screen purchase_pick "$e2e_seq"
    screenshot "$out/purchase_pick.png"
    tap product_5206142000310
    wait_for_screen rating "$e2e_seq"
    screenshot "$out/rating.png"
    tap star_2
    wait_for_screen expectations "$e2e_seq"
    screenshot "$out/expectations.png"
    tap expectations_met
    wait_for_screen recommend "$e2e_seq"
    screenshot "$out/recommend.png"
    tap recommend_7
    wait_for_screen topics "$e2e_seq"
    tap glory_quality
    tap pain_packaging
    sleep 0.6
    screenshot "$out/topics.png"
    tap next
    wait_for_screen comment "$e2e_seq"
    screenshot "$out/comment_empty.png"
    case $language in
        en) sample="Great value" ;; fa) sample="خیلی خوب بود" ;; ar) sample="شكرا لكم" ;;
        el) sample="πολύ καλή ποιότητα" ;; tr) sample="çok güzel" ;;
    esac
    type_on_keyboard "$sample"
    sleep 0.6
    screenshot "$out/comment.png"
    tap next
    wait_for_screen consent "$e2e_seq"
    screenshot "$out/consent.png"
    tap consent_no
    wait_for_screen sorry "$e2e_seq"
    sleep 0.4
    screenshot "$out/sorry.png"
    stored=$(sql "select json_extract(payload, '$.data.comment') from events where type = 'smot.comment'")
    [[ "$stored" == "$sample" ]] || fail "$language: the ledger holds the comment '$stored', typed was '$sample'"
    tap done
    wait_for_screen attract "$e2e_seq"
    tap post_purchase
    wait_for_screen receipt "$e2e_seq"
    tap skip
    wait_for_screen purchase_pick "$e2e_seq"
    tap product_5905471003701
    wait_for_screen rating "$e2e_seq"
    tap star_5
    for step in expectations recommend topics comment consent; do
        wait_for_screen "$step" "$e2e_seq"
        tap skip
    done
    wait_for_screen purchase_thank_you "$e2e_seq"
    sleep 0.3
    screenshot "$out/purchase_thank_you.png"
    wait_for_screen attract "$e2e_seq"

    # What shoppers just said: the low rating with its pain, marked seen (an event); no comment shown, since
    # that shopper kept it private.
    unlock_staff 4 8 2 6
    wait_for_screen staff_shelf_products "$e2e_seq"
    tap tab_shoppers_said
    wait_for_screen staff_shoppers_said "$e2e_seq"
    for _ in $(seq 100); do [[ -n "$(target_coordinates seen_0)" ]] && break; sleep 0.1; done
    tap seen_0
    sleep 0.6
    screenshot "$out/staff_shoppers_said.png"
    seen=$(sql "select count(*) from events where type = 'staff.seen' and json_extract(payload, '$.data.seen') =
                (select id from events where type = 'pain.reported' limit 1)")
    [[ "$seen" == 1 ]] || fail "$language: the pain was not marked seen in the ledger"
    tap back_to_shoppers
    wait_for_screen attract "$e2e_seq"

    # Five wrong PINs lock the pad, which then says for how long; every try is audited, never its digits.
    hold staff_corner 3.3
    wait_for_screen staff_pin "$e2e_seq"
    for try in 1 2 3 4 5; do
        tap digit_9
        tap digit_1
        tap submit
        wait_for_pin_verdicts $((2 + try))  # after the two right PINs of this tour
    done
    tap digit_9
    tap submit
    sleep 0.4
    screenshot "$out/staff_pin_locked.png"
    audit=$(sql "select group_concat(json_extract(payload, '$.data.outcome'), ' ') from events where type = 'staff.pin'")
    [[ "$audit" == "correct correct wrong wrong wrong wrong wrong locked_out" ]] || fail "$language: the PIN audit reads '$audit'"
    tap cancel
    wait_for_screen attract "$e2e_seq"

    logged=$(sql "select count(*) from events where type = 'staff.shelf' and json_extract(payload, '$.sku') = '5905471003701'")
    undone=$(sql "select count(*) from events where type = 'staff.undo'")
    [[ "$logged/$undone" == 3/1 ]] || fail "$language: expected 3 staff.shelf events and 1 undo, found $logged/$undone"
    stop_kiosk
    rm -f "$e2e_work/kiosk.db" "$e2e_work/kiosk.db-wal" "$e2e_work/kiosk.db-shm"
    echo "$language: $(ls "$out" | wc -l) screens"
done
echo "PASS: screenshots in $screens"

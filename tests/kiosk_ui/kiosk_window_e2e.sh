#!/usr/bin/env bash
# End-to-end test of the kiosk window on a real X server (Xvfb): attract → tap → four faces → tap "happy"
# → thank you → back to attract, one fmot.reaction in the kiosk's SQLite file, a clean exit on SIGTERM.
# Tap targets come from the kiosk itself (TRUTHPOINT_UI_TARGETS, see kiosk_ui/src/tap_targets.hpp).
#
# usage: kiosk_window_e2e.sh KIOSK_BINARY ARTIFACTS_DIR
set -euo pipefail

kiosk_binary=${1:?usage: kiosk_window_e2e.sh KIOSK_BINARY ARTIFACTS_DIR}
artifacts=${2:?usage: kiosk_window_e2e.sh KIOSK_BINARY ARTIFACTS_DIR}
mkdir -p "$artifacts"
for tool in Xvfb xdotool import sqlite3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (xvfb, xdotool, imagemagick, sqlite3)"; exit 1; }
done

work=$(mktemp -d)
xvfb_pid=""
kiosk_pid=""
cleanup() {
    [[ -n "$kiosk_pid" ]] && kill -KILL "$kiosk_pid" 2>/dev/null || true
    [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    echo "--- kiosk log"; cat "$work/kiosk.log" 2>/dev/null || true
    echo "--- last tap targets"; cat "$work/targets" 2>/dev/null || true
    exit 1
}

# Xvfb picks a free display itself and writes its number to the given fd: no race with other tests.
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
[[ -s "$work/display" ]] || { cat "$work/xvfb.log"; fail "Xvfb did not start"; }
export DISPLAY=":$(head -n1 "$work/display")"
echo "Xvfb on $DISPLAY"

cat >"$work/kiosk.toml" <<TOML
[kiosk]
id = "k-e2e"
store = "s-e2e"
db = "$work/kiosk.db"
languages = ["en"]
idle_reset_seconds = 45
sku = "4006381333931"
product_name = "Oat Crunch Granola"
dpi = 96

[hub]
url = "http://127.0.0.1:9"
token = "e2e-token"
TOML

SDL_RENDER_DRIVER=software TRUTHPOINT_UI_TARGETS="$work/targets" \
    "$kiosk_binary" run --config "$work/kiosk.toml" >"$work/kiosk.log" 2>&1 &
kiosk_pid=$!

field() { awk -v key="$1" '$1 == key { print $2; exit }' "$work/targets" 2>/dev/null; }

# Waits until the kiosk has presented SCREEN (published after the first frame of it is on the glass).
wait_for_screen() {
    local screen=$1 after_seq=${2:-0}
    for _ in $(seq 200); do
        kill -0 "$kiosk_pid" 2>/dev/null || fail "the kiosk exited while waiting for the $screen screen"
        if [[ "$(field screen)" == "$screen" && "$(field seq)" -gt "$after_seq" ]]; then return 0; fi
        sleep 0.1
    done
    fail "the $screen screen did not appear within 20 s"
}

# Clicks the named target: window origin + the target's centre in window coordinates.
tap() {
    local name=$1 coords
    coords=$(awk -v name="$name" '$1 == "window" { wx = $2; wy = $3 } $1 == "target" && $2 == name { print wx + $3, wy + $4 }' \
        "$work/targets")
    [[ -n "$coords" ]] || fail "no tap target '$name' on the $(field screen) screen"
    # shellcheck disable=SC2086
    xdotool mousemove $coords click 1
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$kiosk_pid/stat"; }

wait_for_screen attract
sleep 0.5  # let a pulse step or two pass, so the screenshot shows the animation mid-way
import -window root "$artifacts/attract.png"

tap start
wait_for_screen reaction
import -window root "$artifacts/reaction.png"

# Render on demand: with no input and no animation the kiosk sleeps (deadline: idle reset in 45 s).
sleep 0.5
before=$(cpu_ticks); sleep 3; after=$(cpu_ticks)
echo "CPU at idle on the reaction screen: $((after - before)) ticks in 3 s"
(( after - before <= 10 )) || fail "the kiosk used $((after - before)) CPU ticks in 3 s of idle: is it busy-looping?"

tap happy
wait_for_screen thank_you
thank_you_seq=$(field seq)
import -window root "$artifacts/thankyou.png"

reactions=$(sqlite3 "$work/kiosk.db" "select count(*) from events where type = 'fmot.reaction'")
[[ "$reactions" == 1 ]] || fail "expected 1 fmot.reaction in the ledger, found $reactions"
reaction=$(sqlite3 "$work/kiosk.db" \
    "select json_extract(payload, '\$.data.reaction') from events where type = 'fmot.reaction'")
[[ "$reaction" == happy ]] || fail "expected the reaction 'happy', the ledger has '$reaction'"
echo "ledger: 1 fmot.reaction = $reaction"

# Thank-you lasts 2–3 s, then the flow returns to attract by itself.
wait_for_screen attract "$thank_you_seq"
import -window root "$artifacts/attract-again.png"

kill -TERM "$kiosk_pid"
status=""
for _ in $(seq 100); do
    if ! kill -0 "$kiosk_pid" 2>/dev/null; then
        wait "$kiosk_pid" && status=0 || status=$?
        break
    fi
    sleep 0.1
done
[[ -n "$status" ]] || fail "the kiosk did not stop within 10 s of SIGTERM"
kiosk_pid=""
[[ "$status" == 0 ]] || fail "the kiosk exited with $status after SIGTERM, expected 0"
echo "PASS: screenshots in $artifacts"

# Shared helpers for the kiosk's end-to-end scripts under Xvfb: a private X server, a kiosk started with a
# generated config, screens and tap targets read from the file the kiosk publishes (TRUTHPOINT_UI_TARGETS,
# see kiosk_ui/src/tap_targets.hpp), taps and holds with xdotool, screenshots with ImageMagick, and cleanup.
# Source it; then call e2e_start_xvfb, e2e_write_config, e2e_start_kiosk.
# shellcheck shell=bash

export LC_ALL=C.UTF-8  # type_on_keyboard walks Persian and Greek text character by character
e2e_work=$(mktemp -d)
e2e_xvfb_pid=""
e2e_kiosk_pid=""

e2e_hub_pid=""
e2e_hub_binary=""

e2e_cleanup() {
    [[ -n "$e2e_kiosk_pid" ]] && kill -KILL "$e2e_kiosk_pid" 2>/dev/null || true
    [[ -n "$e2e_hub_pid" ]] && kill -TERM "$e2e_hub_pid" 2>/dev/null || true
    [[ -n "$e2e_xvfb_pid" ]] && kill "$e2e_xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$e2e_work"
}
trap e2e_cleanup EXIT

# Scripts may set this to a PNG path: the screen at a failure is saved there, to see what went wrong.
e2e_failure_shot=""

fail() {
    echo "FAIL: $*"
    if [[ -n "$e2e_failure_shot" && -n "${DISPLAY:-}" ]]; then
        import -window root "$e2e_failure_shot" 2>/dev/null && echo "the screen at the failure: $e2e_failure_shot"
    fi
    echo "--- kiosk log"; cat "$e2e_work/kiosk.log" 2>/dev/null || true
    echo "--- last tap targets"; cat "$e2e_work/targets" 2>/dev/null || true
    exit 1
}

e2e_require_tools() {
    local tool
    for tool in Xvfb xdotool import sqlite3; do
        command -v "$tool" >/dev/null || fail "$tool is not installed (xvfb, xdotool, imagemagick, sqlite3)"
    done
}

# Xvfb picks a free display itself and writes its number to the given fd: no race with other tests.
e2e_start_xvfb() {
    Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset 3>"$e2e_work/display" >"$e2e_work/xvfb.log" 2>&1 &
    e2e_xvfb_pid=$!
    for _ in $(seq 100); do [[ -s "$e2e_work/display" ]] && break; sleep 0.1; done
    [[ -s "$e2e_work/display" ]] || { cat "$e2e_work/xvfb.log"; fail "Xvfb did not start"; }
    export DISPLAY=":$(head -n1 "$e2e_work/display")"
}

# usage: e2e_write_config ASSETS_DIR LANGUAGES_TOML [IDLE_SECONDS] [PIN_HASH]
e2e_write_config() {
    local assets=$1 languages=$2 idle=${3:-45} pin_hash=${4:-}
    cat >"$e2e_work/kiosk.toml" <<TOML
[kiosk]
id = "k-e2e"
store = "s-e2e"
db = "$e2e_work/kiosk.db"
languages = $languages
idle_reset_seconds = $idle
assets = "$assets"
dpi = 96

[hub]
url = "http://127.0.0.1:9"
token = "e2e-token"
TOML
    if [[ -n "$pin_hash" ]]; then printf '\n[staff]\npin_hash = "%s"\n' "$pin_hash" >>"$e2e_work/kiosk.toml"; fi
}

# A real hub on loopback, on its own SQLite file in the work directory; sets hub_url. A restart on the
# same address keeps its database. usage: e2e_start_hub HUB_BINARY [LISTEN_ADDRESS]
e2e_start_hub() {
    e2e_hub_binary=$1
    export TRUTHPOINT_HUB_DB="sqlite:$e2e_work/hub.db"
    : >"$e2e_work/hub.out"
    "$e2e_hub_binary" serve --listen "${2:-127.0.0.1:0}" >"$e2e_work/hub.out" 2>"$e2e_work/hub.log" &
    e2e_hub_pid=$!
    for _ in $(seq 200); do
        grep -q 'listening on' "$e2e_work/hub.out" && break
        sleep 0.05
    done
    hub_url=$(grep -o 'http://[^ ]*' "$e2e_work/hub.out") || fail "the hub did not start: $(cat "$e2e_work/hub.log")"
}
e2e_stop_hub() {
    kill -TERM "$e2e_hub_pid"
    wait "$e2e_hub_pid" || true
    e2e_hub_pid=""
}
e2e_hub_count() {  # e2e_hub_count TYPE: how many events of TYPE the hub holds
    "$e2e_hub_binary" export --format ndjson | grep -c "\"type\":\"$1\"" || true
}
e2e_wait_for_hub_count() {  # e2e_wait_for_hub_count TYPE N
    for _ in $(seq 300); do
        [[ "$(e2e_hub_count "$1")" -ge "$2" ]] && return 0
        sleep 0.1
    done
    fail "the hub has $(e2e_hub_count "$1") $1 events, expected $2 (kiosk log above)"
}

# Which scanned or typed codes are receipts: [kiosk] receipt_pattern. usage: e2e_set_receipt_pattern REGEX
e2e_set_receipt_pattern() {
    sed -i "s|^dpi = 96$|dpi = 96\nreceipt_pattern = \"$1\"|" "$e2e_work/kiosk.toml"
}

# usage: e2e_start_kiosk KIOSK_BINARY
e2e_start_kiosk() {
    rm -f "$e2e_work/targets"
    TRUTHPOINT_UI_TARGETS="$e2e_work/targets" \
        "$1" run --config "$e2e_work/kiosk.toml" >"$e2e_work/kiosk.log" 2>&1 &
    e2e_kiosk_pid=$!
}

field() { awk -v key="$1" '$1 == key { print $2; exit }' "$e2e_work/targets" 2>/dev/null; }

# Waits until the kiosk has presented SCREEN (published after the first frame of it is on the glass),
# with a publication newer than AFTER_SEQ when given. Prints nothing; sets e2e_seq.
wait_for_screen() {
    local screen=$1 after_seq=${2:-0} tries=${3:-200}
    for _ in $(seq "$tries"); do
        kill -0 "$e2e_kiosk_pid" 2>/dev/null || fail "the kiosk exited while waiting for the $screen screen"
        if [[ "$(field screen)" == "$screen" && "$(field seq)" -gt "$after_seq" ]]; then
            e2e_seq=$(field seq)
            return 0
        fi
        sleep 0.05
    done
    fail "the $screen screen did not appear within $((tries / 20)) s (showing: $(field screen))"
}

target_coordinates() {
    awk -v name="$1" '$1 == "window" { wx = $2; wy = $3 } $1 == "target" && $2 == name { print wx + $3, wy + $4 }' \
        "$e2e_work/targets"
}

# Taps the named target of the screen on the glass: window origin + the target's centre.
tap() {
    local coords
    coords=$(target_coordinates "$1")
    [[ -n "$coords" ]] || fail "no tap target '$1' on the $(field screen) screen"
    # shellcheck disable=SC2086
    xdotool mousemove $coords click 1
}

# Presses the named target and holds it for SECONDS.
hold() {
    local coords
    coords=$(target_coordinates "$1")
    [[ -n "$coords" ]] || fail "no tap target '$1' on the $(field screen) screen"
    # shellcheck disable=SC2086
    xdotool mousemove $coords mousedown 1
    sleep "$2"
    xdotool mouseup 1
}

# Holds the staff corner, enters the PIN's digits as given (unlock_staff 4 8 2 6) and submits it.
unlock_staff() {
    hold staff_corner 3.3
    wait_for_screen staff_pin "$e2e_seq"
    for digit in "$@"; do tap "digit_$digit"; done
    tap submit
}

screenshot() { import -window root "$1"; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$e2e_kiosk_pid/stat"; }

stop_kiosk() {
    kill -TERM "$e2e_kiosk_pid"
    local status=""
    for _ in $(seq 100); do
        if ! kill -0 "$e2e_kiosk_pid" 2>/dev/null; then
            wait "$e2e_kiosk_pid" && status=0 || status=$?
            break
        fi
        sleep 0.1
    done
    [[ -n "$status" ]] || fail "the kiosk did not stop within 10 s of SIGTERM"
    e2e_kiosk_pid=""
    [[ "$status" == 0 ]] || fail "the kiosk exited with $status after SIGTERM, expected 0"
}

sql() { sqlite3 "$e2e_work/kiosk.db" "$1"; }

# Waits until the ledger holds N staff.pin verdicts and the pad is back (argon2id runs on its own thread and
# takes longer on a busy machine). usage: wait_for_pin_verdicts N
wait_for_pin_verdicts() {
    for _ in $(seq 200); do
        if [[ "$(sql "select count(*) from events where type = 'staff.pin'")" -ge "$1" && "$(field screen)" == staff_pin ]]; then
            return 0
        fi
        sleep 0.05
    done
    fail "the PIN pad did not give its verdict $1 (showing $(field screen))"
}

# The hub's configuration as the kiosk saves it (<db>.hub-config.json), written directly: the demo store's
# document (assets/demo/store-config.json: the catalog, reviews and sorry-card offers in five languages)
# with a chain's receipt key, as a hub serves it. Lets the tours show the post-purchase screens without a hub.
# usage: e2e_write_saved_hub_config ASSETS_DIR
e2e_receipt_key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
e2e_write_saved_hub_config() {
    python3 - "$1/demo/store-config.json" "$e2e_work/kiosk.db.hub-config.json" "$e2e_receipt_key" <<'PY'
import json, sys
source, out, key = sys.argv[1:4]
document = json.load(open(source, encoding="utf-8"))
document["receipt_key"] = key
json.dump({"etag": "\"e2e\"", "document": document}, open(out, "w", encoding="utf-8"), ensure_ascii=False)
PY
}

# Types TEXT on the comment screen's on-screen keyboard of LANGUAGE, key by key, by the keys' target names
# (kiosk_ui/include/truthpoint/kiosk_ui/onscreen_keyboard.hpp): a Greek accented vowel is the tonos key
# then the vowel; a letter not on the layer shown is shift then the letter (one-shot shift); a space,
# comma, full stop and question mark their own keys.
type_on_keyboard() {
    local text=$1 i c
    local -A accented=([ά]=α [έ]=ε [ή]=η [ί]=ι [ό]=ο [ύ]=υ [ώ]=ω)
    for ((i = 0; i < ${#text}; i++)); do
        c=${text:i:1}
        case "$c" in
            " ") tap key_space ;;
            "," | "،") tap key_comma ;;
            ".") tap key_full_stop ;;
            "?" | "؟" | ";") tap key_question_mark ;;
            *)
                if [[ -n "${accented[$c]:-}" ]]; then
                    tap key_tonos
                    wait_for_screen comment "$e2e_seq"  # the armed accent republishes the targets
                    c=${accented[$c]}
                fi
                if [[ -z "$(target_coordinates "key_$c")" ]]; then
                    tap key_shift  # a capital, or a letter of the shifted layer: it is there after one shift
                    wait_for_screen comment "$e2e_seq"
                fi
                tap "key_$c" ;;
        esac
        sleep 0.05
    done
}

#!/usr/bin/env bash
# Disk faults at the kiosk: its ledger on a small tmpfs that fills up, then on a file system remounted
# read-only. `simulate`, `sync` and `status` fail with a message naming the problem, and every event
# committed before the fault is still there and reaches the hub, once, after the fault is cleared.
# Needs to mount a tmpfs: runs as root in a private mount namespace, or unprivileged through a user
# namespace (unshare -rm). Where neither is allowed it fails: a skipped disk test proves nothing.
if [ -z "${TRUTHPOINT_IN_MOUNT_NAMESPACE:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then namespace=(unshare --mount --propagation private); else namespace=(unshare -rm); fi
  if ! "${namespace[@]}" true; then
    echo "FAIL: cannot enter a mount namespace (${namespace[*]}): this test needs root with CAP_SYS_ADMIN" \
         "or user namespaces" >&2
    exit 1
  fi
  TRUTHPOINT_IN_MOUNT_NAMESPACE=1 exec "${namespace[@]}" bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"

start_hub
enrol_kiosk k-disk s-disk
config="$work/k-disk.toml"
disk="$work/disk"
mkdir "$disk"
# 8 MiB: room for the ledger and its WAL, small enough to fill in a moment. The mount dies with the namespace.
mount -t tmpfs -o size=8m tmpfs "$disk" || fail "cannot mount a tmpfs at $disk (mount in this namespace refused)"
trap 'umount "$disk" 2>/dev/null; cleanup' EXIT
ledger="$disk/kiosk.db"
sed -i "s|^db = .*|db = \"$ledger\"|" "$config"

pending() { sqlite3 "file:$ledger?mode=ro" "SELECT count(*) FROM events WHERE state = 'pending'"; }
ledger_ids() { sqlite3 "file:$ledger?mode=ro" "SELECT id FROM events ORDER BY id"; }
hub_ids() { sqlite3 "file:$work/hub.db?mode=ro" "SELECT id FROM events WHERE kiosk_id = 'k-disk' ORDER BY id"; }
# expect_failure WHAT PATTERN COMMAND... — COMMAND exits non-zero and its stderr matches PATTERN.
expect_failure() {
  local what=$1 pattern=$2
  shift 2
  if "$@" >"$work/out" 2>"$work/err"; then fail "$what succeeded: $(cat "$work/out")"; fi
  grep -Eq "$pattern" "$work/err" || fail "$what: the message does not name the problem: $(cat "$work/err")"
  echo "ok: $what fails clearly: $(head -n 1 "$work/err")"
}

# --- A full disk.
"$KIOSK" simulate --events 200 --seed 1 --config "$config" >/dev/null || fail "simulate on an empty tmpfs failed"
"$KIOSK" sync --config "$config" >/dev/null || fail "the first sync failed"
"$KIOSK" simulate --events 100 --seed 2 --config "$config" >/dev/null || fail "simulate on an empty tmpfs failed"
ledger_ids >"$work/before-full"
# Fill what is left, in small blocks so that nothing stays free.
dd if=/dev/zero of="$disk/filler" bs=4k >/dev/null 2>&1 || true
expect_eq "$(df --output=avail -B1 "$disk" | tail -n 1 | tr -d ' ')" 0 "free bytes on the full tmpfs"

full='(disk|file system).*full'
expect_failure "simulate on a full disk" "$full" "$KIOSK" simulate --events 1000 --seed 3 --config "$config"
# status may still read the ledger on a full disk: then it must warn; or it fails naming the problem.
# Either way it exits 1, so a monitoring script sees that a person must look.
"$KIOSK" status --json --config "$config" >"$work/out" 2>"$work/err" && fail "status on a full disk exits 0"
if [ -s "$work/out" ]; then
  grep -q '"only 0 MB free on ' "$work/out" || fail "status on a full disk does not warn: $(cat "$work/out")"
  echo "ok: status on a full disk warns: $(grep -o 'only 0 MB free[^"]*' "$work/out")"
else
  grep -Eq "$full" "$work/err" || fail "status on a full disk: the message does not name the problem: $(cat "$work/err")"
  echo "ok: status on a full disk fails clearly: $(head -n 1 "$work/err")"
fi
expect_failure "sync on a full disk" "$full" "$KIOSK" sync --config "$config"

rm "$disk/filler"
# Everything committed before the disk filled is still in the ledger (simulate may have committed a few
# more before the first write that failed: those count too).
expect_eq "$(ledger_ids | comm -23 "$work/before-full" - | wc -l)" 0 "events committed before the disk filled and now gone"
"$KIOSK" sync --config "$config" >/dev/null || fail "sync after space was freed failed"
expect_eq "$(pending)" 0 "events pending after space was freed"
expect_eq "$(diff <(ledger_ids) <(hub_ids) | grep -c '^[<>]' || true)" 0 "events differing between the ledger and the hub"
echo "ok: all $(ledger_ids | wc -l) events at the hub once after the disk was freed"

# --- A read-only file system (as root, a chmod would not stop the kiosk: remount instead).
"$KIOSK" simulate --events 100 --seed 4 --config "$config" >/dev/null || fail "simulate before the remount failed"
ledger_ids >"$work/before-ro"
mount -o remount,ro "$disk" || fail "cannot remount $disk read-only"
readonly_pattern='read-only'
expect_failure "simulate on a read-only disk" "$readonly_pattern" "$KIOSK" simulate --events 10 --seed 5 --config "$config"
# status may still read the ledger (its WAL index is there): then it must warn; or it fails naming the problem.
"$KIOSK" status --json --config "$config" >"$work/out" 2>"$work/err" && fail "status on a read-only disk exits 0"
if [ -s "$work/out" ]; then
  grep -q "$readonly_pattern" "$work/out" || fail "status on a read-only disk does not warn: $(cat "$work/out")"
  echo "ok: status on a read-only disk warns: $(grep -o '"[^"]*read-only[^"]*"' "$work/out")"
else
  grep -q "$readonly_pattern" "$work/err" || fail "status on a read-only disk: the message does not name the problem: $(cat "$work/err")"
  echo "ok: status on a read-only disk fails clearly: $(head -n 1 "$work/err")"
fi
expect_failure "sync on a read-only disk" "$readonly_pattern" "$KIOSK" sync --config "$config"
# run refuses before its window opens (no display is needed to see it): a shopper's tap could not be saved.
DISPLAY= WAYLAND_DISPLAY= expect_failure "run on a read-only disk" "cannot be written, so shoppers' answers could not be saved.*$readonly_pattern" \
  "$KIOSK" run --config "$config"
mount -o remount,rw "$disk" || fail "cannot remount $disk read-write"
expect_eq "$(ledger_ids | comm -23 "$work/before-ro" - | wc -l)" 0 "events committed before the remount and now gone"
"$KIOSK" sync --config "$config" >/dev/null || fail "sync after the remount read-write failed"
expect_eq "$(pending)" 0 "events pending after the remount read-write"
expect_eq "$(diff <(ledger_ids) <(hub_ids) | grep -c '^[<>]' || true)" 0 "events differing between the ledger and the hub"

# --- A ledger whose directory cannot be written: a new kiosk cannot create its ledger.
sed -i "s|^db = .*|db = \"$disk/new/kiosk.db\"|" "$config"
mkdir "$disk/new"
mount -o remount,ro "$disk"
expect_failure "simulate with a new ledger on a read-only disk" "$readonly_pattern" \
  "$KIOSK" simulate --events 10 --config "$config"
echo "PASS"

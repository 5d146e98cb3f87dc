#!/usr/bin/env bash
# The hub over real HTTP refuses bad requests with the right status and stores nothing.
source "$(dirname "$0")/lib.sh"

start_hub
enrol_kiosk k-bad s-001
token=$(grep '^token' "$work/k-bad.toml" | cut -d'"' -f2)
post() {  # post STATUS_EXPECTED DESCRIPTION curl-args...
  local expected=$1 what=$2
  shift 2
  local status
  status=$(curl -s -o "$work/body" -w '%{http_code}' -X POST "$hub_url/api/v1/batches" "$@")
  expect_eq "$status" "$expected" "$what"
}

post 400 "malformed JSON" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data '{"batch_id": "b1", "events": [' 
post 401 "no token" -H 'Content-Type: application/json' --data '{"batch_id":"b1","events":[]}'
post 401 "wrong token" -H "Authorization: Bearer ${token}x" -H 'Content-Type: application/json' --data '{"batch_id":"b1","events":[]}'
post 415 "wrong content type" -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' --data '{"batch_id":"b1","events":[]}'
head -c 20000000 /dev/zero | tr '\0' ' ' >"$work/huge.json"
post 413 "oversize body" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary @"$work/huge.json"
expect_eq "$(export_count)" 0 "events stored after bad requests"
echo "PASS"

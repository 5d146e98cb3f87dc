#!/usr/bin/env bash
# The kiosk syncs through a real nginx with TLS in front of a real hub, verification on: with a CA file,
# with a pinned key; a wrong CA and a wrong pinned key are refused with a message that names the key to
# check, nothing is delivered, and `status` shows it. nginx runs packaging/nginx/truthpoint-hub.conf itself:
# the test copies it with sed replacing only the certificate paths, the listening port and the hub's
# address (each replacement checked), and includes it in a small http{} of its own that puts the pid,
# logs and temp files in the test's directory.
source "$(dirname "$0")/lib.sh"
command -v nginx >/dev/null || fail "nginx is not installed (scripts/install-deps installs it)"
example="$(dirname "$0")/../../packaging/nginx/truthpoint-hub.conf"
nginx_pid=""
stop_nginx() { [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true; }
trap 'stop_nginx; cleanup' EXIT

# A CA, a server certificate it signs for 127.0.0.1 and localhost (in subjectAltName: names in CN alone
# are not checked by libcurl), and a second CA that signed nothing of the hub's.
tls="$work/tls"
mkdir -p "$tls"
new_ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$1" \
    -keyout "$tls/$1.key" -out "$tls/$1.crt" 2>/dev/null || fail "openssl could not make the CA $1"
}
new_ca truthpoint-test-ca
new_ca other-ca
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$tls/hub.key" -out "$tls/hub.csr" 2>/dev/null || fail "openssl could not make the hub's key"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' \
  >"$tls/hub.ext"
openssl x509 -req -in "$tls/hub.csr" -CA "$tls/truthpoint-test-ca.crt" -CAkey "$tls/truthpoint-test-ca.key" \
  -CAcreateserial -days 2 -extfile "$tls/hub.ext" -out "$tls/hub.crt" 2>/dev/null || fail "openssl could not sign the hub's certificate"
# The pin, as docs/hub.md computes it: SHA-256 of the certificate's public key (DER), in base64.
pin_of() {
  openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl enc -base64
}
hub_pin=$(pin_of "$tls/hub.crt")
other_pin=$(pin_of "$tls/other-ca.crt")

start_hub
hub_port=${hub_url##*:}
tls_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The example, with the test's paths and ports; every replacement must have happened.
site="$work/nginx/truthpoint-hub.conf"
mkdir -p "$work/nginx"
sed -e "s|^\(\s*\)listen 443 ssl http2;|\1listen 127.0.0.1:$tls_port ssl http2;|" \
    -e '/listen \[::\]:443/d' \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$hub_port;|" \
    -e "s|/etc/ssl/truthpoint/hub-fullchain.pem|$tls/hub.crt|" \
    -e "s|/etc/ssl/truthpoint/hub-key.pem|$tls/hub.key|" \
    "$example" >"$site"
for replaced in "listen 127.0.0.1:$tls_port ssl" "server 127.0.0.1:$hub_port;" "ssl_certificate     $tls/hub.crt;" \
                "ssl_certificate_key $tls/hub.key;"; do
  grep -qF "$replaced" "$site" || fail "the example changed: '$replaced' not made from $example"
done
if grep -v '^\s*#' "$site" | grep -q '443\|8080\|/etc/ssl'; then
  fail "the example has a port or path the test does not replace: $(grep -v '^\s*#' "$site" | grep '443\|8080\|/etc/ssl')"
fi
cat >"$work/nginx/nginx.conf" <<CONF
# As root nginx would switch its workers to nobody, who cannot enter the test's directory.
user $(id -un) $(id -gn);
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 64; }
http {
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $site;
}
CONF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/test.err" \
  || fail "nginx refuses the example: $(cat "$work/nginx/test.err")"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 100); do
  curl -sf --cacert "$tls/truthpoint-test-ca.crt" "https://127.0.0.1:$tls_port/healthz" >/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited at start: $(cat "$work/nginx/error.log")"
  sleep 0.05
done
curl -sf --cacert "$tls/truthpoint-test-ca.crt" "https://127.0.0.1:$tls_port/healthz" >/dev/null \
  || fail "nginx does not pass /healthz to the hub: $(cat "$work/nginx/error.log")"

# One kiosk, one ledger; each configuration below differs only in its [hub] TLS keys.
enrol_kiosk k-tls s-042
token=$(sed -n 's/^token = "\(.*\)"$/\1/p' "$work/k-tls.toml")
kiosk_config() {  # NAME CA_FILE [PIN]
  cat >"$work/$1.toml" <<TOML
[kiosk]
id = "k-tls"
store = "s-042"
db = "$work/k-tls.db"
languages = ["en"]

[hub]
url = "https://127.0.0.1:$tls_port"
token = "$token"
ca_file = "$2"
TOML
  [ -n "${3:-}" ] && echo "pinned_public_key = \"sha256//$3\"" >>"$work/$1.toml"
  true
}
kiosk_config trusted "$tls/truthpoint-test-ca.crt"
kiosk_config pinned "$tls/truthpoint-test-ca.crt" "$hub_pin"
kiosk_config wrong-ca "$tls/other-ca.crt"
kiosk_config wrong-pin "$tls/truthpoint-test-ca.crt" "$other_pin"
# status exits 1 while its last sync failed (a person should look), 0 once all is well: both are answers here.
status_json() { "$KIOSK" status --json --config "$work/trusted.toml" || [ $? -eq 1 ]; }
pending() { status_json | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])'; }
last_error() { status_json | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_error"])'; }

"$KIOSK" simulate --events 200 --seed 1 --config "$work/trusted.toml" >/dev/null
"$KIOSK" sync --config "$work/trusted.toml" >"$work/sync.out" 2>&1 || fail "sync through nginx with ca_file failed: $(cat "$work/sync.out")"
expect_eq "$(export_count)" 200 "events at the hub through nginx, CA from [hub] ca_file"
grep -q '"POST /api/v1/batches HTTP/2.0" 200\|"POST /api/v1/batches HTTP/1.1" 200' "$work/nginx/access.log" \
  || fail "nginx's access log shows no batch: $(cat "$work/nginx/access.log")"

"$KIOSK" simulate --events 100 --seed 2 --config "$work/pinned.toml" >/dev/null
"$KIOSK" sync --config "$work/pinned.toml" >"$work/sync.out" 2>&1 || fail "sync with the right pinned key failed: $(cat "$work/sync.out")"
expect_eq "$(export_count)" 300 "events at the hub with the right pinned_public_key"

# A CA that did not sign the hub's certificate: refused, nothing sent, and the message says what to check.
"$KIOSK" simulate --events 50 --seed 3 --config "$work/wrong-ca.toml" >/dev/null
if "$KIOSK" sync --config "$work/wrong-ca.toml" 2>"$work/sync.err"; then fail "sync trusted a hub signed by another CA"; fi
echo "wrong CA: $(cat "$work/sync.err")"
grep -q "the hub's certificate is not trusted" "$work/sync.err" || fail "unclear wrong-CA message: $(cat "$work/sync.err")"
grep -qF "[hub] ca_file" "$work/sync.err" || fail "the wrong-CA message does not name [hub] ca_file: $(cat "$work/sync.err")"
grep -q "curl: " "$work/sync.err" || fail "the wrong-CA message lost curl's own words: $(cat "$work/sync.err")"
expect_eq "$(export_count)" 300 "events at the hub after the wrong CA"
expect_eq "$(pending)" 50 "pending after the wrong CA"
last_error | grep -qF "[hub] ca_file" || fail "status does not show the TLS problem: $(last_error)"

# The right CA but another key pinned: refused, naming [hub] pinned_public_key.
if "$KIOSK" sync --config "$work/wrong-pin.toml" 2>"$work/sync.err"; then fail "sync accepted a hub whose key is not the pinned one"; fi
echo "wrong pin: $(cat "$work/sync.err")"
grep -qF "[hub] pinned_public_key" "$work/sync.err" || fail "the wrong-pin message does not name [hub] pinned_public_key: $(cat "$work/sync.err")"
expect_eq "$(export_count)" 300 "events at the hub after the wrong pin"
last_error | grep -qF "[hub] pinned_public_key" || fail "status does not show the pin problem: $(last_error)"

# Fixed: the backlog goes through.
"$KIOSK" sync --config "$work/trusted.toml" >/dev/null 2>&1 || fail "sync after the fix failed"
expect_eq "$(export_count)" 350 "events at the hub after the fix"
expect_eq "$(pending)" 0 "pending after the fix"

# The installer's check says the same, a line each (display aside: there is none here).
check_line() { "$KIOSK" check --config "$work/$1.toml" 2>&1 | grep -E "^[A-Z]+ +$2 " || true; }
check_line pinned TLS | grep -q "^OK    TLS .*verified against $tls/truthpoint-test-ca.crt, and its key matches \[hub\] pinned_public_key" \
  || fail "check's TLS line with the right CA and pin: $(check_line pinned TLS)"
check_line wrong-ca TLS | grep -q "^FAIL  TLS .*the hub's certificate is not trusted.*\[hub\] ca_file" \
  || fail "check's TLS line with another CA: $(check_line wrong-ca TLS)"
check_line wrong-pin TLS | grep -qF "[hub] pinned_public_key" || fail "check's TLS line with another pin: $(check_line wrong-pin TLS)"
echo "ok: check's TLS lines: $(check_line pinned TLS) / $(check_line wrong-ca TLS | cut -c1-100)…"
echo "PASS"

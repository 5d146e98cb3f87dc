#!/usr/bin/env bash
# The Debian packages, as an installer gets them: cpack writes both; each is unpacked into a throwaway root
# and its files, modes, Depends, conffiles and maintainer scripts are checked; lintian and
# `systemd-analyze verify` must pass; and the unpacked programs find their assets and fonts with no
# `assets =` key, the environment variable unset and the source tree's assets hidden (in a mount namespace
# where the package's /usr/share/truthpoint is mounted at /usr/share/truthpoint); and dpkg installs, upgrades
# and purges them on an overlay of this system, which the test throws away.
# usage: packages_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail

build_dir=$1
source_dir=$2
version=$3
work=$(mktemp -d)
[[ -n "${TRUTHPOINT_KEEP_WORK:-}" ]] && echo "work directory: $work" || trap 'rm -rf "$work"' EXIT
export LC_ALL=C.UTF-8
unset TRUTHPOINT_ASSETS_DIR TRUTHPOINT_KIOSK_CONFIG TRUTHPOINT_HUB_DB

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is not installed ($2; scripts/install-deps test)"; exit 1; }; }
need cpack cmake
need lintian lintian
need systemd-analyze systemd
need Xvfb xvfb
need unshare util-linux
need strings binutils
need cage cage

# -- Build the packages.
start=$(date +%s)
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || {
    cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
echo "cpack: $(($(date +%s) - start)) s"
arch=$(dpkg --print-architecture)
kiosk_deb=$work/out/truthpoint-kiosk_${version}-1_${arch}.deb
hub_deb=$work/out/truthpoint-hub_${version}-1_${arch}.deb
for deb in "$kiosk_deb" "$hub_deb"; do
    [[ -f "$deb" ]] || { ls "$work/out"; echo "FAIL: cpack wrote no $(basename "$deb")"; exit 1; }
done

# -- Unpack each into its own root, its control files beside it.
for package in kiosk hub; do
    deb_var=${package}_deb
    mkdir -p "$work/$package"
    dpkg-deb -x "${!deb_var}" "$work/$package/root"
    dpkg-deb -e "${!deb_var}" "$work/$package/control"
done
kroot=$work/kiosk/root
hroot=$work/hub/root

# expect_mode ROOT PATH MODE: the file or directory exists in the package with that mode.
expect_mode() {
    if [[ ! -e "$1$2" ]]; then fail "$2 is not in the package"; return; fi
    local mode
    mode=$(stat -c %a "$1$2")
    [[ "$mode" == "$3" ]] || fail "$2 has mode $mode, expected $3"
}
for checks in \
    "$kroot /usr/bin/truthpoint-kiosk 755" \
    "$kroot /lib/systemd/system/truthpoint-kiosk.service 644" \
    "$kroot /usr/share/man/man1/truthpoint-kiosk.1.gz 644" \
    "$kroot /etc/truthpoint 755" \
    "$kroot /etc/truthpoint/kiosk.toml.example 644" \
    "$kroot /usr/share/doc/truthpoint-kiosk/copyright 644" \
    "$kroot /usr/share/doc/truthpoint-kiosk/changelog.Debian.gz 644" \
    "$kroot /usr/share/truthpoint/i18n/fa.po 644" \
    "$kroot /usr/share/truthpoint/catalog/catalog.json 644" \
    "$kroot /usr/share/truthpoint/catalog/images 755" \
    "$hroot /usr/bin/truthpoint-hub 755" \
    "$hroot /lib/systemd/system/truthpoint-hub.service 644" \
    "$hroot /usr/share/man/man1/truthpoint-hub.1.gz 644" \
    "$hroot /etc/truthpoint/hub.env 644" \
    "$hroot /usr/share/doc/truthpoint-hub/copyright 644" \
    "$hroot /usr/share/doc/truthpoint-hub/changelog.Debian.gz 644" \
    "$hroot /usr/share/doc/truthpoint-hub/examples/nginx-truthpoint-hub.conf 644" \
    "$hroot /usr/share/truthpoint/i18n/dashboard/fa.po 644"; do
    # shellcheck disable=SC2086
    expect_mode $checks
done
# Each package holds only its own program, and the two share no file (dpkg would refuse the second).
[[ -e "$kroot/usr/bin/truthpoint-hub" ]] && fail "the kiosk package holds the hub"
[[ -e "$hroot/usr/bin/truthpoint-kiosk" ]] && fail "the hub package holds the kiosk"
shared=$(comm -12 <(cd "$kroot" && find . -type f | sort) <(cd "$hroot" && find . -type f | sort))
[[ -z "$shared" ]] || fail "both packages hold: $shared"
# Every entry is root's: nothing of the build machine's users in the packages.
for deb in "$kiosk_deb" "$hub_deb"; do
    owners=$(dpkg-deb -c "$deb" | awk '{print $2}' | sort -u)
    [[ "$owners" == "root/root" ]] || fail "$(basename "$deb") has entries owned by $owners"
done

# -- Control: Depends, conffiles, maintainer scripts.
field() { dpkg-deb -f "$1" "$2"; }
kiosk_depends=$(field "$kiosk_deb" Depends)
hub_depends=$(field "$hub_deb" Depends)
for wanted in libcurl libsqlite3 libsdl2 libfontconfig fonts-dejavu-core fonts-noto-core adduser; do
    [[ "$kiosk_depends" == *"$wanted"* ]] || fail "the kiosk's Depends lacks $wanted: $kiosk_depends"
done
for wanted in libpq5 libsqlite3 libcurl libicu tzdata adduser; do
    [[ "$hub_depends" == *"$wanted"* ]] || fail "the hub's Depends lacks $wanted: $hub_depends"
done
[[ "$(field "$kiosk_deb" Description | head -n1)" == "in-store kiosk that asks shoppers about products" ]] ||
    fail "the kiosk's synopsis is: $(field "$kiosk_deb" Description | head -n1)"
[[ "$(field "$hub_deb" Description | head -n1)" == "central server for Truthpoint kiosks" ]] ||
    fail "the hub's synopsis is: $(field "$hub_deb" Description | head -n1)"
[[ "$(field "$kiosk_deb" Recommends)" == *cage* ]] || fail "the kiosk does not recommend cage"
[[ "$(field "$kiosk_deb" Version)" == "${version}-1" ]] || fail "the kiosk's version is $(field "$kiosk_deb" Version)"
grep -qx /etc/truthpoint/kiosk.toml.example "$work/kiosk/control/conffiles" 2>/dev/null ||
    fail "kiosk.toml.example is not a conffile: $(cat "$work/kiosk/control/conffiles" 2>/dev/null)"
grep -qx /etc/truthpoint/hub.env "$work/hub/control/conffiles" 2>/dev/null ||
    fail "hub.env is not a conffile: $(cat "$work/hub/control/conffiles" 2>/dev/null)"
for package in kiosk hub; do
    for script in postinst prerm postrm; do
        path=$work/$package/control/$script
        expect_mode "" "$path" 755
        [[ -f "$path" ]] || continue
        sh -n "$path" || fail "$package's $script is not valid sh"
        grep -q '@[A-Z_]*@' "$path" && fail "$package's $script has an unreplaced @VARIABLE@"
        grep -q "truthpoint-$package.service" "$path" || fail "$package's $script does not name its unit"
    done
done
grep -q /etc/truthpoint/kiosk.token "$work/kiosk/control/postinst" || fail "the kiosk's postinst leaves the token file's mode"

# -- lintian: no error and no warning (overrides are shipped in the packages, with their reasons).
for deb in "$kiosk_deb" "$hub_deb"; do
    lintian --no-tag-display-limit "$deb" >"$work/lintian.log" 2>&1 || true
    if grep -E '^[EW]: ' "$work/lintian.log"; then fail "lintian on $(basename "$deb") (above)"; fi
    grep -E '^[EWI]: |^O: ' "$work/lintian.log" | sed 's/^/  lintian: /' || true
done

# -- systemd-analyze verify, on a root holding both packages, the system's own units and cage (the kiosk
# unit's ExecStart), as on a kiosk with the Recommends installed.
vroot=$work/verify-root
mkdir -p "$vroot"
cp -a "$kroot/." "$hroot/." "$vroot/"
cp -an /lib/systemd/system/. "$vroot/lib/systemd/system/"
install -D -m 0755 "$(command -v cage)" "$vroot/usr/bin/cage"
# --man=no: the Documentation= pages are checked on the host's man path, where this package's are not.
if ! systemd-analyze verify --man=no --root="$vroot" truthpoint-hub.service truthpoint-kiosk.service \
        >"$work/verify.log" 2>&1 || [[ -s "$work/verify.log" ]]; then
    cat "$work/verify.log"
    fail "systemd-analyze verify"
fi
for page in truthpoint-kiosk truthpoint-hub; do
    root=$kroot; [[ $page == truthpoint-hub ]] && root=$hroot
    warnings=$(man --warnings -E UTF-8 -l "$root/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null)
    [[ -z "$warnings" ]] || fail "man page $page: $warnings"
done

# -- The programs look where the packages put their assets: the path compiled into each binary (the
# `/i18n` directory default_assets_dir() tests, the hub's dashboard catalogs) is in the package.
# (A string ending in NUL: the linker may lay other strings right before it, so strings(1) would glue them.)
compiled_in() { LC_ALL=C grep -qaP "$(printf '%s' "$2" | sed 's|/|\\/|g')\\x00" "$1"; }
compiled_in "$kroot/usr/bin/truthpoint-kiosk" /usr/share/truthpoint/i18n ||
    fail "the kiosk binary does not look in /usr/share/truthpoint/i18n"
compiled_in "$hroot/usr/bin/truthpoint-hub" /usr/share/truthpoint/i18n/dashboard ||
    fail "the hub binary does not look in /usr/share/truthpoint/i18n/dashboard"

# -- And they really load them from there. The example configuration, with the ledger and token in the
# work directory and no assets key; languages that need both fonts (DejaVu Sans, Noto Sans Arabic).
token_file=$work/kiosk.token
echo "example-token" >"$token_file"
sed -e "s|^db = .*|db = \"$work/kiosk.db\"|" \
    -e "s|^token_file = .*|token_file = \"$token_file\"|" \
    -e 's|^languages = .*|languages = ["en", "fa", "el"]|' \
    -e 's|^url = .*|url = "http://127.0.0.1:9"|' \
    "$kroot/etc/truthpoint/kiosk.toml.example" >"$work/kiosk.toml"
grep -q '^assets' "$work/kiosk.toml" && fail "the example configuration sets assets"

cat >"$work/in-namespace.sh" <<'NAMESPACE'
# Runs in a private mount namespace (unshare --mount): nothing here is seen outside.
set -uo pipefail
work=$1 source_dir=$2 kroot=$3 hroot=$4
mount --make-rprivate /
# The source tree's assets (the programs' last fallback) are hidden.
mount -t tmpfs -o size=1m tmpfs "$source_dir/assets"
# /usr/share as it is, plus an empty truthpoint directory: a tmpfs of links to the real entries.
mkdir -p "$work/host-share"
mount --bind /usr/share "$work/host-share"
mount -t tmpfs -o size=1m,mode=0755 tmpfs /usr/share
for entry in "$work/host-share"/*; do ln -s "$entry" "/usr/share/${entry##*/}"; done
rm -f /usr/share/truthpoint
mkdir /usr/share/truthpoint

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb=$!
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
export DISPLAY=":$(head -n1 "$work/display")"
result=0

# run_kiosk NAME: the unpacked kiosk for up to 15 s; succeeds once it has drawn its attract screen.
run_kiosk() {
    rm -f "$work/targets"
    TRUTHPOINT_UI_TARGETS="$work/targets" SDL_RENDER_DRIVER=software \
        "$kroot/usr/bin/truthpoint-kiosk" run --windowed 800x600 --config "$work/kiosk.toml" >"$work/$1.log" 2>&1 &
    local kiosk=$!
    for _ in $(seq 150); do
        if grep -qx 'screen attract' "$work/targets" 2>/dev/null; then kill -TERM $kiosk; wait $kiosk; return 0; fi
        kill -0 $kiosk 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL $kiosk 2>/dev/null; wait $kiosk 2>/dev/null
    return 1
}
# run_hub NAME: the unpacked hub's serve; succeeds once it listens (it loads the dashboard's catalogs first).
run_hub() {
    "$hroot/usr/bin/truthpoint-hub" serve --listen 127.0.0.1:0 --db "sqlite:$work/$1.db" >"$work/$1.log" 2>&1 &
    local hub=$!
    for _ in $(seq 100); do
        if grep -q 'listening on' "$work/$1.log"; then kill -TERM $hub; wait $hub; return 0; fi
        kill -0 $hub 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL $hub 2>/dev/null; wait $hub 2>/dev/null
    return 1
}

# Without the packages' assets both must fail, or the checks below would prove nothing.
if run_kiosk kiosk-without; then echo "FAIL: the kiosk started with no assets anywhere"; result=1; fi
if run_hub hub-without; then echo "FAIL: the hub served with no dashboard catalogs anywhere"; result=1; fi
grep -q 'dashboard' "$work/hub-without.log" || { echo "FAIL: the hub without catalogs did not say so:"; cat "$work/hub-without.log"; result=1; }

# With them, where the two packages install them.
mkdir "$work/both-packages"
cp -a "$kroot/usr/share/truthpoint/." "$hroot/usr/share/truthpoint/." "$work/both-packages/"
mount --bind "$work/both-packages" /usr/share/truthpoint
if ! run_kiosk kiosk-with; then echo "FAIL: the unpacked kiosk did not draw its attract screen:"; cat "$work/kiosk-with.log"; result=1; fi
if grep -q 'cannot read the picture' "$work/kiosk-with.log"; then
    echo "FAIL: the kiosk missed product pictures:"; cat "$work/kiosk-with.log"; result=1
fi
if ! run_hub hub-with; then echo "FAIL: the unpacked hub did not serve:"; cat "$work/hub-with.log"; result=1; fi
kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null
exit $result
NAMESPACE
if [ "$(id -u)" -eq 0 ]; then namespace=(unshare --mount); else namespace=(unshare -rm); fi
"${namespace[@]}" bash "$work/in-namespace.sh" "$work" "$source_dir" "$kroot" "$hroot" || fail "the unpacked programs and their assets (above)"

# -- dpkg installs, removes and purges both, on an overlay of this very system (its changes stay in the
# overlay's upper directory, in the work directory): the maintainer scripts run as on a real machine,
# without systemd running, as in a container or a chroot. An overlay mount needs root.
if [ "$(id -u)" -ne 0 ]; then
    fail "installing the packages needs root (dpkg in an overlay of /)"
else
    mkdir -p "$work/overlay/upper" "$work/overlay/work" "$work/overlay/merged"
    cat >"$work/install.sh" <<'INSTALL'
set -u
echo token >/etc/truthpoint/kiosk.token && chmod 0644 /etc/truthpoint/kiosk.token  # written before the install
dpkg -i /debs/truthpoint-hub.deb /debs/truthpoint-kiosk.deb >/debs/dpkg.log 2>&1 || { cat /debs/dpkg.log; echo "FAIL: dpkg -i"; }
getent passwd truthpoint | grep -q ':/var/lib/truthpoint:/usr/sbin/nologin$' || echo "FAIL: no system user truthpoint"
[ "$(stat -c '%a %U:%G' /var/lib/truthpoint)" = "750 truthpoint:truthpoint" ] ||
    echo "FAIL: /var/lib/truthpoint is $(stat -c '%a %U:%G' /var/lib/truthpoint)"
[ "$(stat -c '%a %U' /etc/truthpoint/kiosk.token)" = "600 truthpoint" ] ||
    echo "FAIL: the token file is $(stat -c '%a %U' /etc/truthpoint/kiosk.token)"
[ -e /etc/systemd/system/multi-user.target.wants/truthpoint-hub.service ] && echo "FAIL: the hub was enabled on install"
dpkg -i /debs/truthpoint-hub.deb >/debs/dpkg.log 2>&1 || { cat /debs/dpkg.log; echo "FAIL: dpkg -i again (upgrade path)"; }
echo "# a ledger" >/var/lib/truthpoint/kiosk.db
dpkg --purge truthpoint-kiosk truthpoint-hub >/debs/dpkg.log 2>&1 || { cat /debs/dpkg.log; echo "FAIL: dpkg --purge"; }
[ -f /var/lib/truthpoint/kiosk.db ] || echo "FAIL: purge removed the ledger"
[ -e /lib/systemd/system/truthpoint-hub.service ] && echo "FAIL: purge left the hub's unit"
[ -e /etc/systemd/system/truthpoint-kiosk.service ] && echo "FAIL: purge left the kiosk's unit masked"
[ -e /etc/truthpoint/hub.env ] && echo "FAIL: purge left the conffile hub.env"
true
INSTALL
    cp "$kiosk_deb" "$work/overlay/truthpoint-kiosk.deb"
    cp "$hub_deb" "$work/overlay/truthpoint-hub.deb"
    cp "$work/install.sh" "$work/overlay/install.sh"
    unshare --mount bash -c '
        set -e
        mount --make-rprivate /
        merged=$1/merged
        mount -t overlay overlay -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$merged"
        mount -t proc proc "$merged/proc"
        mount --rbind /dev "$merged/dev"
        mount -t tmpfs tmpfs "$merged/run"
        mkdir -p "$merged/etc/truthpoint" "$merged/debs"
        mount --bind "$1" "$merged/debs"
        chroot "$merged" sh /debs/install.sh' install "$work/overlay" >"$work/install.log" 2>&1 ||
        fail "the overlay for dpkg: $(cat "$work/install.log")"
    if grep -q '^FAIL' "$work/install.log"; then cat "$work/install.log"; fail "installing the packages (above)"; fi
fi

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "both packages pass: files, modes, Depends, conffiles, scripts, lintian, systemd-analyze verify, assets, dpkg"
echo "--- truthpoint-kiosk"; dpkg-deb -c "$kiosk_deb" | awk '{print $1, $6}'
echo "--- truthpoint-hub"; dpkg-deb -c "$hub_deb" | awk '{print $1, $6}'

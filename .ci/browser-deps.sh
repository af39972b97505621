#!/bin/sh
# Installs what the browser test (crates/kaohe/tests/browser/) needs on Debian: Chromium, its
# WebDriver (chromedriver) and CJK fonts so screenshots show Chinese text. Idempotent: prints nothing
# and touches nothing when everything is already installed; runs `apt-get update` only when a package
# is missing.
set -eu

PACKAGES="chromium chromium-driver fonts-noto-cjk"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "browser-deps: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
fi

echo "browser-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "browser-deps: done"

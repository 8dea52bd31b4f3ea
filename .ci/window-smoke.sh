#!/usr/bin/env bash
# Starts the real factmark binary in a real X window (Xvfb) on the bundled sample project, takes a
# screenshot, and fails if the process died or the screen is blank. Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v Xvfb >/dev/null || ! command -v import >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Mesa's software OpenGL lets the glow renderer draw without a GPU.
    apt-get install -y -qq xvfb imagemagick libgl1-mesa-dri libglx-mesa0 >/dev/null
fi

binary=target/debug/factmark
[ -x "$binary" ] || cargo build --quiet
out=${SMOKE_OUT:-target/window-smoke}
mkdir -p "$out"

display=:97
Xvfb "$display" -screen 0 1280x800x24 >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
sleep 2

# A scratch copy, so the smoke test can never modify the bundled sample.
cp saves/sample.ron "$out/sample.ron"
env -u WAYLAND_DISPLAY DISPLAY="$display" "$binary" "$out/sample.ron" >"$out/app.log" 2>&1 &
app_pid=$!
sleep 8

if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "window smoke: factmark exited early; its output:"
    cat "$out/app.log"
    exit 1
fi
DISPLAY="$display" import -window root "$out/screenshot.png"
colours=$(identify -format '%k' "$out/screenshot.png")
echo "window smoke: factmark is running; screenshot $out/screenshot.png has $colours colours"
if [ "$colours" -lt 16 ]; then
    echo "window smoke: the screen is blank"
    exit 1
fi
echo "window smoke: ok"

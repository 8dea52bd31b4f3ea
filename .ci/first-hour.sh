#!/usr/bin/env bash
# A new user's first hour, on the real factmark binary in a real X window (Xvfb), driven by xdotool:
#   1. the first start asks who is annotating; the name typed runs no command (the project stays clean);
#   2. switching the theme twice and zooming in and out leaves the text area as it was (screenshots
#      compared pixel by pixel), and the light theme shows the text (it once turned to glyph fragments);
#   3. a path typed into Save as… runs no single-key command (K, R, X, A…) and saves where it says;
#   4. an edit undone back to the saved state, then a clean quit, leaves no recovery file, and the next
#      start offers nothing to restore.
# Screenshots are kept in target/first-hour. Installs what it needs. FACTMARK_BIN picks the binary
# (default target/debug/factmark, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v compare >/dev/null \
    || ! dpkg -s libgl1-mesa-dri >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Mesa's software OpenGL lets the glow renderer draw without a GPU.
    apt-get install -y -qq xvfb xdotool imagemagick libgl1-mesa-dri libglx-mesa0 >/dev/null
fi

binary=${FACTMARK_BIN:-target/debug/factmark}
[ -x "$binary" ] || cargo build --quiet
binary=$(realpath "$binary")
out=$PWD/target/first-hour
rm -rf "$out"
mkdir -p "$out/home"
project=$out/project.ron
cp saves/sample.ron "$project"

# A first start: fresh preferences, and no FACTMARK_ANNOTATOR, so the app must ask for the name.
export HOME=$out/home XDG_DATA_HOME=$out/home/.local/share XDG_CONFIG_HOME=$out/home/.config
unset FACTMARK_ANNOTATOR WAYLAND_DISPLAY
export USER=first-hour-user

display=:95
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT

started=$SECONDS
failures=0
pass() { echo "PASS: $*"; }
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
    import -window root "$out/failure-$failures.png" 2>/dev/null || true
}
die() {
    fail "$@"
    echo "first hour: FAILED ($failures failure(s), $((SECONDS - started)) s; screenshots in $out)"
    exit 1
}

for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

window=""
start_app() {
    "$binary" "$1" >"$out/app-$2.log" 2>&1 &
    app_pid=$!
    window=""
    for _ in $(seq 150); do
        window=$(xdotool search --onlyvisible --name '^factmark' 2>/dev/null | head -1 || true)
        [ -n "$window" ] && break
        kill -0 "$app_pid" 2>/dev/null || die "factmark exited at start ($2); output in $out/app-$2.log"
        sleep 0.1
    done
    [ -n "$window" ] || die "no factmark window after 15 s ($2)"
    sleep 1.5
    xdotool windowfocus --sync "$window"
}
title() { xdotool getwindowname "$window" 2>/dev/null || true; }
dirty() { case "$(title)" in *●) return 0 ;; *) return 1 ;; esac; }
keys() { xdotool key --clearmodifiers --delay 150 "$@"; }
typed() { xdotool type --delay 90 "$1"; }
shot() { xdotool mousemove 1275 795; sleep 0.4; import -window root "$out/$1.png"; }
# The document's text area (below the header, between the side panels) of a screenshot.
text_area() { convert "$out/$1.png" -crop 600x600+335+120 +repage "$out/$1-text.png"; }

# 1. The first start asks for the name; typing it runs no command.
start_app "$project" first
shot first-start
xdotool windowfocus --sync "$window"
typed "kira rax"
sleep 0.3
dirty && fail "typing the annotator name changed the project (a letter ran a command): $(title)"
keys Return
sleep 0.8
shot name-entered
dirty && fail "the project changed while the name was typed: $(title)" || pass "the name typed into the first-start prompt ran no command"

# 2. Theme twice and zoom in and out: the text area comes back pixel for pixel, and light shows text.
palette() {
    keys ctrl+shift+p
    sleep 0.4
    typed "$1"
    sleep 0.3
    keys Return
    sleep 0.8
}
shot theme-before
text_area theme-before
palette "dark light"
shot theme-light
text_area theme-light
palette "dark light"
keys ctrl+equal
sleep 0.6
shot zoomed-in
keys ctrl+minus
sleep 0.8
shot theme-after
text_area theme-after
differing=$(compare -metric AE -fuzz 3% "$out/theme-before-text.png" "$out/theme-after-text.png" "$out/theme-diff.png" 2>&1 || true)
differing=${differing%% *}
# Less than 0.5 % of the 360,000 pixels may differ (the caret blinks, nothing else should).
if [ "${differing%.*}" -lt 1800 ]; then
    pass "theme dark -> light -> dark and zoom in -> out: the text area is as before ($differing pixels differ)"
else
    fail "after theme and zoom the text area differs in $differing pixels (see $out/theme-diff.png)"
fi
light=$(convert "$out/theme-light-text.png" -colorspace Gray -format '%[fx:mean]' info:)
dark=$(convert "$out/theme-before-text.png" -colorspace Gray -format '%[fx:mean]' info:)
# Text in the light theme: dark glyph pixels on the light page, a fair share of the area.
ink=$(convert "$out/theme-light-text.png" -colorspace Gray -threshold 45% -format '%[fx:1-mean]' info:)
if awk -v l="$light" -v d="$dark" -v i="$ink" 'BEGIN { exit !(l > d + 0.3 && i > 0.02 && i < 0.5) }'; then
    pass "the light theme is light (mean $light vs $dark) and shows its text ($ink of the area is ink)"
else
    fail "the light theme shows no readable text: mean $light (dark $dark), ink $ink"
fi
zoomed=$(compare -metric AE -fuzz 3% "$out/theme-before.png" "$out/zoomed-in.png" null: 2>&1 || true)
[ "${zoomed%% *}" != 0 ] && pass "Ctrl+= changed the text size" || fail "Ctrl+= changed nothing"

# 3. A path typed into Save as… runs no command and saves there.
saved=$out/kr-dax-xa.ron
keys Tab
sleep 0.3
keys ctrl+shift+s
sleep 0.6
keys ctrl+a
typed "$saved"
sleep 0.3
shot save-as-typed
dirty && fail "typing the path ran a command that changed the project (A or X reviews): $(title)"
keys Return
for _ in $(seq 30); do [ -f "$saved" ] && break; sleep 0.1; done
[ -f "$saved" ] || die "Save as did not write $saved; title: $(title)"
sleep 0.3
if cmp -s "$saved" "$project"; then
    pass "the typed path reached the field whole and the project saved there unchanged (no K, R, X, A ran)"
else
    fail "the project saved through Save as differs from the file opened: a typed key changed it"
fi

# 4. Edit, autosave, undo to the saved state, quit: no recovery file, nothing offered at the next start.
recovery=${saved%.ron}.recovery.ron
keys Escape Tab Right ctrl+shift+Right 1
sleep 0.3
dirty || die "the edit did not register; title: $(title)"
sleep 2.6
[ -f "$recovery" ] && pass "autosave wrote $recovery" || fail "no recovery file after the autosave delay"
keys ctrl+z
sleep 0.8
dirty && fail "undo did not return to the saved state: $(title)"
[ -f "$recovery" ] && fail "the recovery file stayed after undoing back to the saved state" \
    || pass "undoing back to the saved state removed the recovery file"
keys ctrl+q
for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && die "Ctrl+Q did not close the clean project"
app_pid=""
[ -f "$recovery" ] && fail "a recovery file is left after a clean quit" || pass "a clean quit leaves no recovery file"
# The name typed at the first start replaced the guess from $USER and was kept.
stored=$XDG_DATA_HOME/factmark/app.ron
if grep -q 'kira rax' "$stored" 2>/dev/null && ! grep -q 'first-hour-user' "$stored"; then
    pass "the annotator kept is the name typed at the first start, in place of the guess from \$USER"
else
    fail "the stored preferences do not hold the typed name alone: $(grep -o 'annotator[^,]*' "$stored" 2>/dev/null | head -1)"
fi
start_app "$saved" restart
shot restart
keys Return
sleep 0.8
if dirty; then
    fail "the restart offered (and Return restored) undone work"
else
    pass "the restart offered nothing to restore"
fi
kill -9 "$app_pid" 2>/dev/null || true
app_pid=""

if [ "$failures" -gt 0 ]; then
    echo "first hour: FAILED ($failures failure(s), $((SECONDS - started)) s; screenshots in $out)"
    exit 1
fi
echo "first hour: PASS ($((SECONDS - started)) s; screenshots in $out)"

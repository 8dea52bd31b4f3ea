#!/usr/bin/env bash
# GUI crash recovery: the real factmark binary, in a real X window (Xvfb), driven by keyboard only.
#
# Each round adds spans by keyboard, waits until autosave has run, makes one more edit and is killed
# with SIGKILL a moment later. Then it checks that the project file is byte-identical (autosave never
# writes over it) and that the recovery file loads with every span added more than 2 s before the kill.
# The app is started again: it must offer the recovery (Enter = Restore), Ctrl+S must write the
# recovered spans into the project and remove the recovery file. A last round answers Escape (keep the
# saved file) and checks that the project is left as it was. Installs what it needs.
#
# FACTMARK_BIN picks the binary (default target/debug/factmark, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null \
    || ! dpkg -s libgl1-mesa-dri >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Mesa's software OpenGL lets the glow renderer draw without a GPU.
    apt-get install -y -qq xvfb xdotool imagemagick libgl1-mesa-dri libglx-mesa0 >/dev/null
fi

binary=${FACTMARK_BIN:-target/debug/factmark}
[ -x "$binary" ] || cargo build --quiet
binary=$(realpath "$binary")
out=$PWD/target/gui-crash-recovery
rm -rf "$out"
mkdir -p "$out/home"
project=$out/project.ron
recovery=$out/project.recovery.ron
# A scratch copy, so the test never modifies the bundled sample.
cp saves/sample.ron "$project"

# Fresh preferences every run (no remembered projects or panel sizes), and an annotator name so the
# first-start settings window does not open and take the keyboard.
export HOME=$out/home XDG_DATA_HOME=$out/home/.local/share XDG_CONFIG_HOME=$out/home/.config
export FACTMARK_ANNOTATOR=crash-test
unset WAYLAND_DISPLAY

display=:96
# -noreset: by default the X server resets when its last client goes (here: every kill of the app) and
# drops connections made meanwhile, so the next start would fail now and then.
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
    echo "      screenshot: $out/failure-$failures.png; app output: $out/app-*.log"
}
die() {
    fail "$@"
    echo "gui crash recovery: FAILED ($failures failure(s), $((SECONDS - started)) s)"
    exit 1
}

for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

# A count from `factmark stats --json` (the headless CLI, which also proves the file loads): the first
# line with key $2, or 0. The first "spans" is the project's total; the first annotator name is in
# spans_by_annotator.
count() {
    local json n
    # A failure here fails the assignment that called it, which stops the script (set -e).
    json=$("$binary" stats "$1" --json) || { echo "FAIL: factmark stats cannot read $1" >&2; return 1; }
    n=$(sed -n "s/^ *\"$2\": *\([0-9][0-9]*\).*/\1/p" <<<"$json" | sed -n 1p)
    echo "${n:-0}"
}
spans() { count "$1" spans; }
# The spans made in this test.
mine() { count "$1" "$FACTMARK_ANNOTATOR"; }

window=""
# Starts the app on the project and waits for its window.
start_app() {
    "$binary" "$project" >"$out/app-$1.log" 2>&1 &
    app_pid=$!
    window=""
    for _ in $(seq 150); do
        window=$(xdotool search --onlyvisible --name '^factmark' 2>/dev/null | head -1 || true)
        [ -n "$window" ] && break
        kill -0 "$app_pid" 2>/dev/null || die "factmark exited at start ($1); output in $out/app-$1.log"
        sleep 0.1
    done
    [ -n "$window" ] || die "no factmark window after 15 s ($1)"
    # Let the first frames (fonts, layout of the document) settle before typing.
    sleep 1.5
}

title() { xdotool getwindowname "$window" 2>/dev/null || true; }

# Waits up to $2 tenths of a second for the window title to (not) end in the modified marker ●.
wait_title() {
    local want=$1 tries=$2
    for _ in $(seq "$tries"); do
        case "$(title)" in
            *●) [ "$want" = dirty ] && return 0 ;;
            *) [ "$want" = clean ] && return 0 ;;
        esac
        sleep 0.1
    done
    return 1
}

# Types keys into the window; a pause between keys so every key lands in its own frame.
keys() {
    xdotool windowfocus --sync "$window"
    xdotool key --clearmodifiers --delay 180 "$@"
}

kill_app() {
    kill -9 "$app_pid"
    wait "$app_pid" 2>/dev/null || true
    app_pid=""
}

# One new span: step past the selected span, select the next $1 words, press label key $2.
span_after() {
    local words=() i
    for ((i = 0; i < $1; i++)); do words+=(ctrl+shift+Right); done
    keys Right "${words[@]}" "$2"
}

# Edits document $1 (0-based) by keyboard: three spans, then autosave time, then one more span and
# SIGKILL within 0.3 s. Leaves the app dead.
edit_and_kill() {
    local doc=$1 down=() i
    for ((i = 0; i < doc; i++)); do down+=(alt+Down); done
    # Tab selects the document's first span; new spans follow it.
    keys "${down[@]}" Tab
    span_after 1 1
    span_after 2 2
    span_after 1 3
    wait_title dirty 20 || die "round $round: no edit registered (title: $(title))"
    # Autosave writes 1.5 s after the last change; wait 2.5 to 2.8 s.
    sleep "2.$((5 + RANDOM % 4))"
    import -window root "$out/edited-$round.png"
    # The last edit may be lost: it is younger than the autosave delay when the app is killed.
    span_after 1 2
    sleep "0.$(printf '%03d' $((RANDOM % 300)))"
    kill_app
}

rounds=3
for ((round = 1; round <= rounds + 1; round++)); do
    before=$(spans "$project")
    cp "$project" "$out/before-$round.ron"
    start_app "round$round-edit"
    edit_and_kill "$((round - 1))"

    cmp -s "$project" "$out/before-$round.ron" \
        && pass "round $round: project file byte-identical after SIGKILL" \
        || fail "round $round: project file changed by the killed app"
    [ -f "$recovery" ] || die "round $round: no recovery file $recovery after SIGKILL"
    "$binary" validate "$recovery" >/dev/null || die "round $round: the recovery file does not validate"
    recovered=$(spans "$recovery")
    if [ "$recovered" -ge $((before + 3)) ] && [ "$recovered" -le $((before + 4)) ]; then
        pass "round $round: recovery file validates; spans $before -> $recovered (3 autosaved edits kept; the last one $([ "$recovered" -eq $((before + 4)) ] && echo kept || echo lost))"
    else
        die "round $round: recovery file has $recovered spans, expected $((before + 3)) or $((before + 4))"
    fi
    cp "$recovery" "$out/recovery-$round.ron"

    start_app "round$round-restart"
    [ "$round" -eq 1 ] && import -window root "$out/recovery-prompt.png"
    wait_title clean 1 || fail "round $round: restarted app shows changes before the prompt is answered"
    if [ "$round" -eq 1 ]; then
        # Shortcuts must not act behind the question: Ctrl+S here once saved the old file and deleted
        # the recovery file being offered.
        keys ctrl+s
        sleep 0.5
        if [ -f "$recovery" ] && cmp -s "$project" "$out/before-$round.ron"; then
            pass "round $round: Ctrl+S under the prompt neither saves nor deletes the recovery file"
        else
            fail "round $round: Ctrl+S under the prompt touched the files"
        fi
    fi
    if [ "$round" -le "$rounds" ]; then
        # Enter = Restore: the restored work shows as unsaved (●) until Ctrl+S.
        keys Return
        wait_title dirty 30 && pass "round $round: recovery offered on restart; Enter restored it" \
            || die "round $round: Enter did not restore (no prompt?); title: $(title)"
        keys ctrl+s
        wait_title clean 30 || die "round $round: Ctrl+S did not save; title: $(title)"
        for _ in $(seq 30); do [ -f "$recovery" ] || break; sleep 0.1; done
        kill_app
        [ -f "$recovery" ] && fail "round $round: recovery file still there after the save"
        "$binary" validate "$project" >/dev/null || die "round $round: the saved project does not validate"
        saved=$(spans "$project")
        ours=$(mine "$project")
        if [ "$saved" -eq "$recovered" ] && [ "$ours" -eq $((3 * round)) ]; then
            pass "round $round: saved project has the recovered spans ($saved, $ours typed in this test), recovery file removed"
        else
            fail "round $round: saved project has $saved spans ($ours typed in this test), the recovery file had $recovered"
        fi
    else
        # Escape = keep the saved file: the recovery file goes, the project stays as it was.
        keys Escape
        for _ in $(seq 30); do [ -f "$recovery" ] || break; sleep 0.1; done
        sleep 0.3
        wait_title clean 1 || fail "round $round: Escape restored the work"
        kill_app
        if [ ! -f "$recovery" ] && cmp -s "$project" "$out/before-$round.ron"; then
            pass "round $round: Escape kept the saved file (recovery file removed, project unchanged)"
        else
            fail "round $round: after Escape the recovery file is $([ -f "$recovery" ] && echo still there || echo gone) and the project $(cmp -s "$project" "$out/before-$round.ron" && echo unchanged || echo changed)"
        fi
    fi
done

if [ "$failures" -gt 0 ]; then
    echo "gui crash recovery: FAILED ($failures failure(s), $((SECONDS - started)) s)"
    exit 1
fi
echo "gui crash recovery: PASS ($rounds kill/restore rounds + 1 kill/discard round, $((SECONDS - started)) s; screenshots in $out)"

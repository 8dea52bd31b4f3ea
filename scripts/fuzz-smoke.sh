#!/usr/bin/env bash
# Runs every cargo-fuzz target briefly (default 10 s each), one process at a time, and fails if any crashes.
# Not part of CI by default: building the targets with coverage instrumentation takes a while.
#
#   scripts/fuzz-smoke.sh            # 10 s per target
#   SECONDS_PER_TARGET=60 scripts/fuzz-smoke.sh
#   scripts/fuzz-smoke.sh offsets store_load   # only these targets
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain RUSTC_BOOTSTRAP=1 lets it use the
# nightly-only sanitizer flags. Builds go to $CARGO_TARGET_DIR (default /tmp/fuzz-target) so they never
# take the main target folder's lock. See fuzz/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${SECONDS_PER_TARGET:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/fuzz-target}"
export RUSTC_BOOTSTRAP=1
work="${FUZZ_WORK:-/tmp/factmark-fuzz-smoke}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 2
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list --fuzz-dir fuzz)
fi

cargo fuzz build --fuzz-dir fuzz -O

# Seeds: fuzz/seeds/<target>/ holds inputs made for fuzzing; the sample articles and the golden export
# files are used where they are, not copied into fuzz/.
extra_seeds() {
    case "$1" in
        import_txt) ls assets/articles/*.txt ;;
        import_md) ls assets/articles/*.md ;;
        import_html) ls assets/articles/*.html ;;
        import_jsonl) ls assets/articles/*.jsonl ;;
        formats_labelstudio) echo tests/golden/labelstudio.json ;;
        formats_prodigy) echo tests/golden/prodigy.jsonl ;;
        formats_spacy) echo tests/golden/spacy.jsonl ;;
    esac
}

status=0
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    artifacts="$work/artifacts/$target/"
    mkdir -p "$corpus" "$artifacts"
    cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    for seed in $(extra_seeds "$target"); do
        cp -n "$seed" "$corpus"/
    done
    log="$work/$target.log"
    if cargo fuzz run --fuzz-dir fuzz -O "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1; then
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
        echo "ok    $target: $runs executions in ${seconds}s"
    else
        echo "FAIL  $target: see $log and $artifacts" >&2
        tail -n 40 "$log" >&2
        status=1
    fi
    # Each target process keeps a scratch folder on tmpfs; remove those whose process has ended.
    for scratch in /dev/shm/factmark-fuzz-* /tmp/factmark-fuzz-[0-9]*; do
        [ -d "$scratch" ] || continue
        kill -0 "${scratch##*-}" 2>/dev/null || rm -rf "$scratch"
    done
done
exit "$status"

#!/usr/bin/env bash
# The project's GPU check, in two steps.
#
#   scripts/gpu-check.sh pack [DIR]   here (any machine with a JDK 25): builds the jars, jlinks a Java runtime
#                                     (java.base, jdk.incubator.vector, java.sql), and packs it with the jar and the
#                                     fixtures the check needs into DIR/gpu-check.tar.xz (default DIR .carry/gpu),
#                                     under 60 MiB.
#   scripts/gpu-check.sh run [DIR]    on the GPU machine (no Java, no Maven, no network needed): runs
#                                     1. the device probe (driver, GPUs);
#                                     2. the CUDA forward of the tiny fixture checkpoints against their float64 golden
#                                        log-probs (fp32, 1e-3);
#                                     3. CUDA against this engine's CPU forward on a random checkpoint of the real 1B
#                                        shape (top-1 agreement >= 99%; |delta log-prob| <= 1e-3 fp32, <= 2e-2 bf16);
#                                     4. mentions/s of `longbel link` on a synthetic MedMentions-like corpus at the 1B
#                                        shape with 5 beams, fp32 and bf16 (the reference: 48.5 mentions/s on an H100);
#                                     and prints one table. Exit 0 when every check passed.
#
# With the project's device tool: pack here, then run with carry [".carry/gpu"] and the command
#   bash scripts/gpu-check.sh run .carry/gpu
# Knobs for run: GPU_CHECK_DOCS (synthetic documents, default 60), GPU_CHECK_TOKENS (prompt of step 3, 256),
# GPU_CHECK_WORK (scratch folder for the 1B checkpoint, default /tmp/longbel-gpu-check).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-}
dir=${2:-$here/.carry/gpu}

pack() {
  . "$here/bin/find-jdk25.sh"
  export JAVA_HOME
  "$here/mvn25" -B -q -o -DskipTests package -pl cli -am 2>/dev/null || "$here/mvn25" -B -q -DskipTests package -pl cli -am
  local fixtures="$here/../shared/fixtures"
  [ -d "$fixtures/golden" ] || { echo "gpu-check: no fixtures at $fixtures" >&2; exit 1; }
  local stage; stage=$(mktemp -d)
  trap 'rm -rf "$stage"' RETURN
  mkdir -p "$stage/fixtures/golden" "$stage/fixtures/models" "$stage/fixtures/configs" "$stage/fixtures/kb"
  # an uncompressed image compresses best with xz below; the JVM's symbols are not needed to run it
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.sql --strip-debug --no-man-pages \
    --no-header-files --compress zip-0 --output "$stage/runtime" 2>/dev/null
  strip --strip-unneeded "$stage/runtime/lib/server/libjvm.so" 2>/dev/null || true
  cp "$here/cli/target/longbel.jar" "$stage/"
  for m in tiny-llama32 tiny-mha-untied; do
    mkdir -p "$stage/fixtures/golden/$m"
    cp "$fixtures/golden/$m/forward.json" "$stage/fixtures/golden/$m/"
    cp -r "$fixtures/models/$m" "$stage/fixtures/models/"
  done
  cp "$fixtures/configs/llama-3.2-1b-longbel.json" "$stage/fixtures/configs/"
  cp "$fixtures/kb/umls_names_sample_text_to_code.json" "$stage/fixtures/kb/"
  rm -rf "$dir"
  mkdir -p "$dir"
  tar -C "$stage" -cf - runtime longbel.jar fixtures | xz -9 -T0 >"$dir/gpu-check.tar.xz"
  local bytes; bytes=$(du -sb "$dir" | cut -f1)
  echo "gpu-check: packed $dir/gpu-check.tar.xz: $((bytes / 1048576)) MiB (unpacked: runtime $(du -sm "$stage/runtime" | cut -f1) MiB, jar $(du -sm "$stage/longbel.jar" | cut -f1) MiB, fixtures $(du -sm "$stage/fixtures" | cut -f1) MiB)"
  if [ "$bytes" -ge $((60 * 1048576)) ]; then echo "gpu-check: the pack is over 60 MiB" >&2; exit 1; fi
}

run() {
  [ -f "$dir/gpu-check.tar.xz" ] || { echo "gpu-check: no $dir/gpu-check.tar.xz: run 'scripts/gpu-check.sh pack' first" >&2; exit 1; }
  local work=${GPU_CHECK_WORK:-/tmp/longbel-gpu-check} docs=${GPU_CHECK_DOCS:-60} tokens=${GPU_CHECK_TOKENS:-256}
  mkdir -p "$work/pack"
  tar -C "$work/pack" -xJf "$dir/gpu-check.tar.xz"
  local java=("$work/pack/runtime/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m -Xmx24g
              -jar "$work/pack/longbel.jar")
  local fx="$work/pack/fixtures" status=0
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true

  # 1: the probe; without a usable GPU nothing else can run
  "${java[@]}" gpu-check || exit $?

  # 2-3: golden fixtures, CUDA vs CPU on the 1B shape
  if [ ! -f "$work/rnd1b/model.safetensors" ]; then
    "${java[@]}" random-model --config "$fx/configs/llama-3.2-1b-longbel.json" --out "$work/rnd1b" >/dev/null
    cp "$fx/models/tiny-llama32/"{tokenizer.json,tokenizer_config.json,generation_config.json} "$work/rnd1b/"
    cp "$fx/kb/umls_names_sample_text_to_code.json" "$work/rnd1b/text_to_code.json"
  fi
  "${java[@]}" gpu-check --fixtures "$fx" --compare-model "$work/rnd1b" --tokens "$tokens" >"$work/parity.txt" || status=$?
  grep -v '^{' "$work/parity.txt" >"$work/table.txt" || true

  # 4: mentions/s, 5 beams, synthetic MedMentions-like pages
  "${java[@]}" corpus synth --docs "$docs" --kb "$fx/kb/umls_names_sample_text_to_code.json" --seed 3 --out "$work/synth.json" >/dev/null
  for p in fp32 bf16; do
    if "${java[@]}" link --model "$work/rnd1b" --input "$work/synth.json" --output "$work/out-$p.jsonl" --beams 5 \
        --device cuda --precision "$p" --no-progress >"$work/link-$p.json" 2>"$work/link-$p.err"; then
      local mps mentions secs
      mps=$(sed -n 's/.*"mentions_per_second" *: *\([0-9.]*\).*/\1/p' "$work/link-$p.json")
      mentions=$(sed -n 's/.*"mentions" *: *\([0-9]*\).*/\1/p' "$work/link-$p.json" | head -1)
      secs=$(sed -n 's/.*"linking_seconds" *: *\([0-9.]*\).*/\1/p' "$work/link-$p.json")
      printf '| %-52s | %9s | %9s | %12s | %9s | %4s |\n' "link 1B shape, 5 beams, $p: mentions/s" "$mentions" "-" "$mps" ">= 500" \
        "$(awk -v m="$mps" 'BEGIN { print (m >= 500 ? "yes" : "NO") }')" >>"$work/table.txt"
    else
      status=4
      printf '| %-52s | %9s | %9s | %12s | %9s | %4s |\n' "link 1B shape, 5 beams, $p: FAILED" "-" "-" "-" "-" "NO" >>"$work/table.txt"
      tail -3 "$work/link-$p.err" >&2
    fi
  done
  echo
  cat "$work/table.txt"
  exit "$status"
}

case "$mode" in
  pack) pack ;;
  run) run ;;
  *) echo "usage: scripts/gpu-check.sh pack [DIR] | run [DIR]" >&2; exit 2 ;;
esac

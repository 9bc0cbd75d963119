#!/usr/bin/env bash
# Builds the committed PTX of the project's CUDA kernels:
#   cuda-kernels/src/main/cuda/*.cu  ->  cuda-kernels/src/main/resources/org/longbel/cuda/ptx/longbel_kernels.ptx
# and records the SHA-256 of the source files it was built from in longbel_kernels.ptx.sha256
# (one "<hex>  <file name>" line per source, sorted by name; PtxFreshnessTest checks it).
#
# Usage: scripts/build-ptx.sh [--if-stale]
#   --if-stale  do nothing when the recorded hashes already match the sources (used by the Maven build,
#               so that building never churns the committed PTX).
# Environment: NVCC (default: nvcc on the PATH, else $CUDA_HOME/bin/nvcc, else /usr/local/cuda/bin/nvcc),
#              PTX_ARCH (default compute_75: the kernels need nothing newer; PTX JIT-compiles forward on
#              Turing, Ampere (A100), Ada and Hopper (H100/H200)).
# Note: the PTX ISA version follows the nvcc release (nvcc 13 writes .version 9.0, which only CUDA 13
# drivers load); KernelModule falls back to NVRTC at run time where the driver refuses it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src_dir="$root/cuda-kernels/src/main/cuda"
out_dir="$root/cuda-kernels/src/main/resources/org/longbel/cuda/ptx"
ptx="$out_dir/longbel_kernels.ptx"
sums="$ptx.sha256"
main_src="longbel_kernels.cu"
arch="${PTX_ARCH:-compute_75}"

hashes() { (cd "$src_dir" && find . -maxdepth 1 -type f \( -name "*.cu" -o -name "*.cuh" \) -printf "%f\n" | LC_ALL=C sort | xargs sha256sum); }

if [[ "${1:-}" == "--if-stale" && -f "$sums" && -f "$ptx" ]] && [[ "$(hashes)" == "$(cat "$sums")" ]]; then
    echo "build-ptx: $(basename "$ptx") is up to date with its sources"
    exit 0
fi

nvcc_bin="${NVCC:-}"
if [[ -z "$nvcc_bin" ]]; then
    if command -v nvcc >/dev/null 2>&1; then nvcc_bin=$(command -v nvcc)
    elif [[ -n "${CUDA_HOME:-}" && -x "$CUDA_HOME/bin/nvcc" ]]; then nvcc_bin="$CUDA_HOME/bin/nvcc"
    elif [[ -x /usr/local/cuda/bin/nvcc ]]; then nvcc_bin=/usr/local/cuda/bin/nvcc
    fi
fi
if [[ -z "$nvcc_bin" || ! -x "$nvcc_bin" && -z "$(command -v "$nvcc_bin" 2>/dev/null)" ]]; then
    echo "build-ptx: error: nvcc not found (looked at \$NVCC, the PATH, \$CUDA_HOME/bin and /usr/local/cuda/bin)." >&2
    echo "build-ptx: install the CUDA toolkit (12.x or 13.x) or set NVCC=/path/to/nvcc; the committed PTX is left as it is." >&2
    exit 2
fi

mkdir -p "$out_dir"
tmp=$(mktemp "$out_dir/.longbel_kernels.XXXXXX.ptx")
trap 'rm -f "$tmp"' EXIT
# no --use_fast_math: expf/logf/rsqrtf keep their standard accuracy
"$nvcc_bin" -ptx -arch="$arch" -O3 -o "$tmp" "$src_dir/$main_src"
mv "$tmp" "$ptx"
hashes > "$sums"
echo "build-ptx: wrote $ptx ($("$nvcc_bin" --version | tail -1), -arch=$arch, $(grep -m1 '^\.version' "$ptx"))"

#!/usr/bin/env bash
# The GPU path of the model-update operator, proven on a host with an NVIDIA GPU (not part of CI: no GPU there).
#
#   tests/gpu/check.sh [--rows N] [--epochs E] [--repeats R]
#
# Builds Loopline with PyTorch's CUDA natives (the Maven profile `cuda`), then runs `loopline device
# --require-gpu`: the reward model and the Lipschitz policy network trained on the GPU and on the CPU on the
# same batches, examples per second of each with the GPU/CPU ratio, how faithfully each export (the weights
# served in plain Java) reproduces the trained network, and how often the GPU- and CPU-trained reward models
# choose the same action. Exits non-zero when no GPU is visible (3) or an export would not serve what was
# trained (1). Writes the figures to tests/target/gpu-check.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DJL_OFFLINE=true OPT_OUT_TRACKING=true
# One native thread is right for 2 cores; on a GPU host let PyTorch's CPU side use what the host has.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: not found"
mkdir -p tests/target
LOOPLINE_PROFILE=cuda ./loopline device --require-gpu --json tests/target/gpu-check.json "$@"

#!/usr/bin/env bash
# Re-run notebooks and store their fresh outputs: `tools/refresh_outputs.sh [NAME.ipynb ...]` (default: all but index.ipynb).
# Outputs are cleared first: exec_nb keeps a cell's old outputs when it now prints nothing, which would leave stale text behind.
set -euo pipefail
cd "$(dirname "$0")/../nbs"
export LITELLM_LOCAL_MODEL_COST_MAP=True
nbs=("$@"); [ ${#nbs[@]} -eq 0 ] && nbs=($(ls [0-9]*.ipynb))
for nb in "${nbs[@]}"; do
  nbdev_clean --fname "$nb" --clear_all
  exec_nb "$nb" --dest "$nb"
  nbdev_clean --fname "$nb"
  echo "refreshed $nb"
done

#!/usr/bin/env bash
# Regenerate constraints.txt: the exact version of every package that a fresh `pip install -e ".[dev]"` gets today.
#   bash tools/mkconstraints.sh      # then run `bash .ci/run`, and commit constraints.txt if it passes
# It builds a new virtual environment in a temporary folder (the machine's own interpreter is never touched),
# installs the project there without any constraints, and writes `pip freeze --exclude-editable` to constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Same base interpreter as .ci/run: the pyenv 3.11 when present (Debian's 3.11 has an old, slow pip), else python3.11/python3.
PY=/root/.pyenv/versions/3.11.7/bin/python
[ -x "$PY" ] || PY=$(command -v python3.11 || command -v python3)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lisette_like-constraints.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

"$PY" -m venv "$TMP/venv"
VPY="$TMP/venv/bin/python"
"$VPY" -m pip install -q --upgrade pip
"$VPY" -m pip install -q -e ".[dev]"
"$VPY" -m pip check

{
  echo "# constraints.txt: the exact versions that CI's first run installs and tests (see .ci/run)."
  echo "# Every package of a fresh install, transitive dependencies included: \`pip freeze --exclude-editable\` in a new"
  echo "# virtual environment after \`pip install -e \".[dev]\"\` (pip, setuptools and wheel left out)."
  echo "# Made by tools/mkconstraints.sh on $(date -u +%Y-%m-%d) with Python $("$VPY" -c 'import platform; print(platform.python_version())')."
  echo "# Regenerate: bash tools/mkconstraints.sh (then bash .ci/run, and commit this file if it passes)."
  echo "# Use: pip install -c constraints.txt -e \".[dev]\""
  "$VPY" -m pip freeze --exclude-editable | grep -viE '^(pip|setuptools|wheel)( *[=@<>~!]|$)'
} > "$TMP/constraints.txt"
mv "$TMP/constraints.txt" constraints.txt
echo "wrote constraints.txt ($(grep -vc '^#' constraints.txt) packages)"

# Sourced by bin/start and bin/test: make sure .venv exists and holds the project as pyproject.toml
# describes it now. Reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

find_python() {
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Noaber heeft Python 3.11 nodig; die is op deze machine niet gevonden." >&2
  return 1
}

stamp=".venv/.noaber-installed"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  python_bin="$(find_python)"
  [ -x .venv/bin/python ] || "$python_bin" -m venv .venv
  echo "Noaber: afhankelijkheden installeren in .venv …" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test,embedded]'
  echo "$wanted" > "$stamp"
fi

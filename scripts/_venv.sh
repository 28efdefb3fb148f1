# Shared by scripts/demo and scripts/test: create or update .venv from pyproject.toml and the
# constraints lock (requirements.lock), reinstalling only when either changed.
# Usage: source scripts/_venv.sh; zwfw_venv [extras]
zwfw_venv() {
  local extras="${1:-}"
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local venv="$root/.venv"
  local python="${ZWFW_PYTHON:-python3}"
  if [ ! -x "$venv/bin/python" ]; then
    echo "==> creating virtualenv in .venv"
    "$python" -m venv "$venv"
  fi
  local want
  want="$( (cat "$root/pyproject.toml" "$root/requirements.lock"; echo "$extras") | sha256sum | cut -c1-16)"
  local stamp="$venv/.zwfw-installed"
  # A venv installed with the dev extras also serves the plain install (scripts/demo, scripts/serve):
  # do not reinstall back and forth between scripts/test and the others.
  local with_dev
  with_dev="$( (cat "$root/pyproject.toml" "$root/requirements.lock"; echo dev) | sha256sum | cut -c1-16)"
  if [ -z "$extras" ] && [ -f "$stamp" ] && grep -qx "$with_dev" "$stamp"; then
    want="$with_dev"
  fi
  if [ ! -f "$stamp" ] || ! grep -qx "$want" "$stamp"; then
    echo "==> installing packages into .venv${extras:+ (with $extras)}"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    local target="$root"
    [ -n "$extras" ] && target="$root[$extras]"
    "$venv/bin/python" -m pip install --quiet -c "$root/requirements.lock" -e "$target"
    echo "$want" > "$stamp"
  fi
  export PATH="$venv/bin:$PATH"
}

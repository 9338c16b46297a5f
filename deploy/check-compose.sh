#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: Debian's Compose 1.29.2 is unpacked (not
# installed: the package would drag in the engine) into a cache outside the checkout and runs
# `config -q`, which refuses unknown keys, wrong types and undeclared volumes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/collectivekv/compose129"
# Compose and every Python module it imports that a bare Debian python3 lacks.
packages=(docker-compose python3-docker python3-dockerpty python3-docopt python3-dotenv
  python3-jsonschema python3-pyrsistent python3-attr python3-texttable python3-websocket
  python3-requests python3-urllib3 python3-idna python3-certifi python3-chardet
  python3-charset-normalizer python3-yaml python3-six python3-distro)

if [[ ! -x "$cache/usr/bin/docker-compose" ]]; then
  mkdir -p "$cache/debs"
  (
    cd "$cache/debs"
    if ! apt-get download "${packages[@]}" >/dev/null 2>&1; then
      # An empty or stale package list cannot name the packages; refreshing it needs root.
      [[ $(id -u) -eq 0 ]] || { echo "check-compose: apt-get download failed; run 'apt-get update' as root" >&2; exit 1; }
      apt-get update -qq
      apt-get download "${packages[@]}" >/dev/null
    fi
    for deb in *.deb; do dpkg -x "$deb" "$cache"; done
  )
fi

# Debian's own interpreter: the unpacked modules are built for it, not for a pyenv or venv python.
PYTHONWARNINGS=ignore PYTHONPATH="$cache/usr/lib/python3/dist-packages" \
  /usr/bin/python3 "$cache/usr/bin/docker-compose" --project-directory "$root" -f "$root/docker-compose.yml" config -q
echo "docker-compose.yml: valid (Compose $(PYTHONWARNINGS=ignore PYTHONPATH="$cache/usr/lib/python3/dist-packages" \
  /usr/bin/python3 "$cache/usr/bin/docker-compose" version --short))"

# Sourced by bin/demo and bin/test: makes a fresh Debian machine ready, idempotently.
# As root it installs the Debian packages below (and says so); the Python stack goes into .venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# PDFs: CJK fonts (Noto; Hanazono for the Extension B ideographs Noto lacks), HarfBuzz subsetting (without it a Chinese page takes ~2 s), poppler for tests.
# Browser tests: Debian's Chromium (no browser download is possible here).
# The rate-limit test runs the production cache, Redis (throwaway, on a socket).
DEBIAN_PACKAGES=(postgresql gettext fonts-noto-cjk fonts-hanazono libharfbuzz-subset0 poppler-utils chromium redis-server)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
  rm -f .venv/.installed-* && touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

#!/usr/bin/env bash
# Renders audit/index.html in headless Chromium and saves a screenshot (default docs/audit-screenshot.png), so that a
# reviewer can see the report renders. Needs a Chromium binary (Debian: apt-get install -y chromium); CI has none,
# which is why this is a script and not a test. Usage: npm run audit:screenshot [-- <png> [<width>,<height>]]
set -euo pipefail

usage() {
  cat <<'EOF'
usage: npm run audit:screenshot [-- [<png>] [<width>,<height>]]

Renders audit/index.html in headless Chromium and saves a screenshot. Needs a Chromium binary (Debian:
apt-get install -y chromium) and audit/index.html (npm run synth && npm run audit).

  <png>              where to save the screenshot (default: docs/audit-screenshot.png)
  <width>,<height>   the browser window in pixels (default: 1400,2000)
  -h, --help         print this help and exit
EOF
}
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  usage
  exit 0
fi
cd "$(dirname "$0")/.."
png="${1:-docs/audit-screenshot.png}"
size="${2:-1400,2000}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "no Chromium found: install it (Debian: apt-get install -y chromium) and run again" >&2
  exit 1
fi
if [ ! -f audit/index.html ]; then
  echo "audit/index.html is missing: run npm run synth && npm run audit first" >&2
  exit 1
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$png")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$profile" --screenshot="$png" \
  --window-size="$size" "file://$PWD/audit/index.html" 2>/dev/null
echo "wrote $png"

#!/usr/bin/env bash
# The two set-up commands of the README (DESIGN.md "Set-up"), for a fresh Debian machine with
# Node.js. Idempotent: what is installed already is not installed again.
#   scripts/setup.sh start   install chromium + npm packages, then run the demo (sandbox + serve)
#   scripts/setup.sh test    install those + prometheus, pushgateway, alertmanager; run every check
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
  start) packages=(chromium) ;;
  test) packages=(chromium tini prometheus prometheus-pushgateway prometheus-alertmanager) ;;
  *) echo "usage: scripts/setup.sh start|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 2
  fi
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Playwright's own browser download cannot work here: Debian's Chromium is used instead.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-fund --no-audit --loglevel=error
fi
# The command runs the compiled dist/ (npm ci built it; this catches sources changed since).
# tsc is incremental: a no-op build takes seconds.
echo "setup: building dist/" >&2
npm run build --silent

case "$mode" in
  start)
    exec node bin/journey-prober.js demo
    ;;
  test)
    mkdir -p .prober
    # The static checks need the CPU the e2e files leave idle while they wait (timeouts,
    # Prometheus evaluations, cron ticks): they run beside the tests, their output after them.
    echo "setup: typecheck, lint, format (beside the tests; output in .prober/checks.log)" >&2
    ( npx tsc --noEmit -p . && npx eslint . && npx prettier --check . ) >.prober/checks.log 2>&1 &
    checks=$!
    echo "setup: tests" >&2
    status=0
    npx vitest run --reporter=default --reporter=json --outputFile.json=.prober/vitest.json || status=$?
    checked=0
    wait "$checks" || checked=$?
    cat .prober/checks.log
    if [ "$checked" -ne 0 ]; then echo "setup: typecheck, lint or format failed (exit $checked)" >&2; fi
    # A closing line any CI understands: "N passed, N failed".
    node -e 'const r=require("./.prober/vitest.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' || true
    if [ "$status" -eq 0 ]; then status=$checked; fi
    exit "$status"
    ;;
esac

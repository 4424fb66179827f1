#!/usr/bin/env bash
# Lighthouse (mobile preset) on each kind of page of the example site: performance,
# accessibility, best practices and SEO. Run by hand; needs Node 20, npm and Debian's chromium.
#   bash scripts/lighthouse.sh            # prints one line of scores per page
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT
.venv/bin/gsgen build --now "2026-11-25 12:00" -o "$out/public" >/dev/null 2>&1
python3 -m http.server 8977 --bind 127.0.0.1 -d "$out/public" >/dev/null 2>&1 &
server=$!
sleep 1
export CHROME_PATH=/usr/bin/chromium
flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
for page in index.html gzdt/zwyw/2026-11-18-dongjianquan.html zcwj/2023-006.html zcwj/2024-011.html \
  bsfw/gtgshdj.html gzdt/tzgg/index.html xxgk/index.html sjfb/jjzb.html "search.html?q=森林防火"; do
  npx --yes lighthouse@12 "http://127.0.0.1:8977/$page" --quiet --chrome-flags="$flags" \
    --only-categories=performance,accessibility,best-practices,seo --output=json --output-path="$out/report.json"
  python3 - "$page" "$out/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[2]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
print(f"{sys.argv[1]}: " + ", ".join(f"{k} {v}" for k, v in scores.items()))
for category in report["categories"].values():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"  - {category['id']}: {audit['id']} ({audit['title']})")
PY
done

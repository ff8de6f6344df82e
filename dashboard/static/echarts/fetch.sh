#!/usr/bin/env bash
# Records how the embedded ECharts assets were obtained, and refreshes them.
# go-echarts v2.7.2 is built for ECharts 5.x, so we pin the last 5.x release.
# The files are committed so that `go build` never needs npm or the internet.
set -euo pipefail
cd "$(dirname "$0")"
version=5.6.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "echarts@$version" >/dev/null 2>&1 && tar xzf "echarts-$version.tgz")
cp "$tmp/package/dist/echarts.min.js" echarts.min.js
cp "$tmp/package/LICENSE" LICENSE
cp "$tmp/package/NOTICE" NOTICE
# go-echarts loads themes from themes/<name>.js; npm ships theme/ (singular).
cp "$tmp/package/theme/macarons.js" themes/macarons.js
sha256sum echarts.min.js themes/macarons.js LICENSE NOTICE > SHA256SUMS
echo "echarts $version installed"

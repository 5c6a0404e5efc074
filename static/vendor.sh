#!/usr/bin/env bash
# `make vendor`: the Ontario Design System, pinned, fetched from npm, built into plain CSS and fonts
# under static/ontario-design-system-<version>/ with its licence. The result is committed, so that
# `make run` and CI need no npm; run this only to change the version (docs/design-system.md).
set -euo pipefail
ODS_VERSION="${ODS_VERSION:?}"
SASS_VERSION="${SASS_VERSION:?}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/ontario-design-system-$ODS_VERSION"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT

cd "$build"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts "sass@$SASS_VERSION"
mkdir -p node_modules/@ongov
for name in global-styles component-library; do
    npm pack --silent "@ongov/ontario-design-system-$name@$ODS_VERSION" >/dev/null
    mkdir -p "node_modules/@ongov/ontario-design-system-$name"
    tar xzf "ongov-ontario-design-system-$name-$ODS_VERSION.tgz" \
        -C "node_modules/@ongov/ontario-design-system-$name" --strip-components=1
done
global="node_modules/@ongov/ontario-design-system-global-styles"

rm -rf "$out"
mkdir -p "$out/css"
npx sass --load-path=node_modules --no-source-map --style=compressed --quiet \
    "$here/ontario.scss" "$out/css/ontario.css"
# The fonts the CSS names, each folder with its own licence (Open Sans, Raleway: OFL/Apache;
# Courier Prime: OFL). No favicons: they are the Ontario logo.
cp -r "$global/dist/fonts" "$out/fonts"
cp "$global/LICENSE" "$out/LICENSE"
cat > "$out/NOTICE.md" <<NOTICE
# Ontario Design System $ODS_VERSION (vendored)

Built by \`make vendor\` (static/vendor.sh) from the npm packages
\`@ongov/ontario-design-system-global-styles@$ODS_VERSION\` and
\`@ongov/ontario-design-system-component-library@$ODS_VERSION\` (Apache License 2.0, see LICENSE),
compiled with \`sass@$SASS_VERSION\` from static/ontario.scss. The fonts keep their own licences in
their folders. The Ontario logo and favicons are left out: they are the Government of Ontario's mark.
NOTICE
echo "vendored into $out"

#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend assets from the npm registry (needs npm; running Navigator does not).
# The GDS Transport font and the crown are for GOV.UK services only, so they are not vendored:
# Navigator is an NGO service and falls back to the Design System's system font stack.
set -euo pipefail
version="${1:-6.6.0}"
target="src/navigator/static/vendor/govuk-frontend"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "govuk-frontend@${version}" --silent >/dev/null && tar xzf "govuk-frontend-${version}.tgz")
rm -rf "$target"
mkdir -p "$target/assets/images"
cp "$work/package/dist/govuk/govuk-frontend.min.css" "$work/package/dist/govuk/govuk-frontend.min.js" "$target/"
# Without the font files, the stylesheet's @font-face rules would only make every page ask for them in vain.
perl -0pi -e 's/\@font-face\{[^}]*\}//g' "$target/govuk-frontend.min.css"
cp "$work/package/dist/govuk/assets/images/favicon.ico" "$work/package/dist/govuk/assets/images/favicon.svg" "$target/assets/images/"
cp "$work/package/package.json" "$target/package.json"
echo "$version" > "$target/VERSION"
echo "GOV.UK Frontend $version vendored into $target"

#!/bin/sh
# Builds another commit of modelgate beside this checkout, for same-run before/after figures:
#   sh bench/baseline.sh REV   -> bench/.build/base-REV/bin/modelgate.js
#   BENCH_BASELINE=bench/.build/base-REV/bin/modelgate.js npm run bench
# (the commit's tree via git archive, this checkout's node_modules, tsc only: no console UI)
set -e
rev=${1:?usage: bench/baseline.sh REV}
dir=bench/.build/base-$rev
rm -rf "$dir" && mkdir -p "$dir"
git archive "$rev" | tar -x -C "$dir"
ln -s "$(pwd)/node_modules" "$dir/node_modules"
(cd "$dir" && node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir dist && date -u +%FT%TZ > dist/.build-stamp)
echo "$dir/bin/modelgate.js"

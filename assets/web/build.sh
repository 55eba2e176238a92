#!/usr/bin/env sh
# Builds Settle for the browser into a folder of static files that any web
# server can serve:   sh assets/web/build.sh [OUT]   (OUT defaults to dist)
# then try it with:   python3 -m http.server --directory dist 8000
# Installs what it needs with rustup and cargo: the wasm32 target and
# wasm-bindgen-cli at the version Cargo.lock pins.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-dist}

if command -v rustup >/dev/null 2>&1; then
    rustup target add wasm32-unknown-unknown >/dev/null
fi
want=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$want"; then
    echo "== installing wasm-bindgen-cli $want (once; a few minutes)"
    cargo install wasm-bindgen-cli --version "$want"
fi

echo "== building the web app"
cargo build --profile web --target wasm32-unknown-unknown --bin settle
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name settle \
    target/wasm32-unknown-unknown/web/settle.wasm
cp assets/web/index.html "$out/index.html"
size=$(wc -c <"$out/settle_bg.wasm")
gz=$(gzip -9 -c "$out/settle_bg.wasm" | wc -c)
echo "built $out/ (settle_bg.wasm: $size bytes, $gz gzipped)"
echo "try it: python3 -m http.server --directory $out 8000, then open http://127.0.0.1:8000/#lesson=04-outbox-and-cdc&t=0.9s"

#!/usr/bin/env sh
# Builds Settle for the browser into a folder of static files that any web
# server can serve:   sh assets/web/build.sh [OUT]   (OUT defaults to dist)
# then try it with:   python3 -m http.server --directory dist 8000
# Installs what it needs: the wasm32 target (rustup), wasm-bindgen-cli at
# the version Cargo.lock pins (cargo), and Binaryen's wasm-opt from npm
# (under target/web-tools). Debian's binaryen (108) must not be used: its
# wasm-opt silently breaks the module ("WebAssembly.Table.set(): Argument 1
# is invalid" in the browser).
# SETTLE_WASM_OPT=0 skips the optimiser (a minute or more) for a quick try.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-dist}
target=${CARGO_TARGET_DIR:-target}
binaryen=132.0.0

if command -v rustup >/dev/null 2>&1; then
    rustup target add wasm32-unknown-unknown >/dev/null
fi
want=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$want"; then
    echo "== installing wasm-bindgen-cli $want (once; a few minutes)"
    cargo install wasm-bindgen-cli --version "$want"
fi
tools=$target/web-tools
wasm_opt=$tools/node_modules/.bin/wasm-opt
if [ "${SETTLE_WASM_OPT:-1}" != 0 ] && ! "$wasm_opt" --version 2>/dev/null | grep -qF "version ${binaryen%%.*}"; then
    echo "== installing binaryen@$binaryen from npm into $tools (once)"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "binaryen@$binaryen"
fi

echo "== building the web app"
cargo build --profile web --target wasm32-unknown-unknown --bin settle
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name settle \
    "$target/wasm32-unknown-unknown/web/settle.wasm"
cp assets/web/index.html "$out/index.html"
raw=$(wc -c <"$out/settle_bg.wasm")
if [ "${SETTLE_WASM_OPT:-1}" != 0 ]; then
    echo "== wasm-opt -Oz (a minute or two)"
    # The features rustc's wasm32 target turns on, and no others, so the
    # module runs wherever the unoptimised one does.
    "$wasm_opt" -Oz --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
        --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
        "$out/settle_bg.wasm" -o "$out/settle_bg.opt.wasm"
    mv "$out/settle_bg.opt.wasm" "$out/settle_bg.wasm"
fi

# Beside each file, its gzip and brotli forms, for a server to send as
# they are (nginx gzip_static/brotli_static, Caddy's precompressed).
for f in "$out/settle_bg.wasm" "$out/settle.js" "$out/index.html"; do
    gzip -9 -n -c "$f" >"$f.gz"
    if command -v brotli >/dev/null 2>&1; then
        brotli -q 11 -f -o "$f.br" "$f"
    else
        echo "(no brotli command: apt-get install brotli; $f.br not written)"
    fi
done
size=$(wc -c <"$out/settle_bg.wasm")
gz=$(wc -c <"$out/settle_bg.wasm.gz")
br=$( [ -f "$out/settle_bg.wasm.br" ] && wc -c <"$out/settle_bg.wasm.br" || echo "-")
echo "built $out/ (settle_bg.wasm: $raw bytes from rustc, $size after wasm-opt; $gz gzipped, $br brotli)"
echo "try it: python3 -m http.server --directory $out 8000, then open http://127.0.0.1:8000/#lesson=04-outbox-and-cdc&t=0.9s"

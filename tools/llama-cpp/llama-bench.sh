#!/usr/bin/env bash
# Runs llama.cpp's llama-bench on this machine, from Debian's packages, without installing them: the
# side-by-side baseline for `tinyforge bench` (same GGUF files, same threads, same day).
#
#   tools/llama-cpp/llama-bench.sh [--cpu VARIANT] -m FILE.gguf -t 2 -p 128 -n 32 -r 3
#
# --cpu picks ggml's CPU backend build (zen4, icelake, sapphirerapids, haswell, x64, ...); by default
# ggml picks the best for this CPU. Needs apt-get and dpkg-deb (Debian, Ubuntu) and network access to
# deb.debian.org; the packages (~13 MB) land in ${LLAMA_CPP_HOME:-~/.cache/tinyforge/llama.cpp}.
set -euo pipefail

home="${LLAMA_CPP_HOME:-$HOME/.cache/tinyforge/llama.cpp}"
suite="${LLAMA_CPP_SUITE:-sid}"
packages=(llama.cpp-tools libllama0 libggml0 libc6 libgcc-s1 libgomp1 libstdc++6 libssl3t64)
root="$home/root"
lib="$root/usr/lib/x86_64-linux-gnu"

variant=""
if [ "${1:-}" = "--cpu" ]; then
    variant="${2:?--cpu needs a variant name}"
    shift 2
fi

if [ ! -x "$root/usr/bin/llama-bench" ]; then
    command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
        || { echo "llama-bench.sh: needs apt-get and dpkg-deb (Debian or Ubuntu)" >&2; exit 2; }
    mkdir -p "$home/lists/partial" "$home/cache/archives/partial" "$home/debs"
    echo "deb [trusted=yes] http://deb.debian.org/debian $suite main" > "$home/sources.list"
    apt=(-o "Dir::Etc::sourcelist=$home/sources.list" -o Dir::Etc::sourceparts=/dev/null
         -o "Dir::State::Lists=$home/lists" -o "Dir::Cache=$home/cache" -o APT::Sandbox::User=root)
    apt-get "${apt[@]}" update -qq
    (cd "$home/debs" && apt-get "${apt[@]}" download "${packages[@]}")
    rm -rf "$root.partial" && mkdir -p "$root.partial"
    for deb in "$home"/debs/*.deb; do dpkg-deb -x "$deb" "$root.partial"; done
    mv "$root.partial" "$root"
fi

# ggml loads its CPU backend from the running executable's folder: here the dynamic loader, so each
# variant gets a folder with a copy of the loader and the backend(s) it may choose from.
dir="$home/cpu-${variant:-best}"
if [ ! -d "$dir" ]; then
    mkdir -p "$dir.partial"
    cp "$lib/ld-linux-x86-64.so.2" "$dir.partial/"
    if [ -n "$variant" ]; then
        cp "$lib/ggml/backends0/libggml-cpu-$variant.so" "$dir.partial/" \
            || { rm -rf "$dir.partial"; echo "llama-bench.sh: no CPU variant '$variant'" >&2; exit 2; }
    else
        cp "$lib"/ggml/backends0/libggml-cpu-*.so "$dir.partial/"
    fi
    mv "$dir.partial" "$dir"
fi
exec "$dir/ld-linux-x86-64.so.2" --library-path "$lib:$lib/llama" "$root/usr/bin/llama-bench" "$@"

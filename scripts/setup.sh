#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# setup.sh [--sanitize] [--bench] - install the Debian 12 packages Vigil needs.
#
# Idempotent: checks each package with dpkg-query and installs only what is
# missing, printing what it installs. A fresh Debian has empty package lists,
# so `apt-get update` runs first whenever anything must be installed.
#   default     compiler, CMake, the libraries Vigil links, and the test
#               oracles and tools the test suite uses (python3-evtx, yara,
#               hivexregedit, and chromium for the HTML report test in a real
#               browser)
#   --sanitize  adds clang-14 and its runtimes (ASan, UBSan, libFuzzer)
#   --bench     adds the peers the benchmarks measure against
#               (evtxexport, ripgrep, hyperfine)
set -eu

pkgs=(gcc make cmake pkg-config libc6-dev
      libyara-dev libyaml-dev libhivex-dev libssl-dev libpcre2-dev
      libjansson-dev zlib1g-dev
      python3 python3-evtx yara libwin-hivex-perl chromium)
for arg in "$@"; do
    case "$arg" in
    --sanitize) pkgs+=(clang-14 libclang-rt-14-dev llvm-14) ;;
    --bench) pkgs+=(libevtx-utils ripgrep hyperfine time bc) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#pkgs[@]} packages present"
    exit 0
fi
echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
    command -v sudo >/dev/null || {
        echo "setup: not root and no sudo; as root run:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    }
else
    sudo=
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs what ratesim needs on Debian 12 (bookworm) and builds it into build/.
# Safe to run again: it installs only missing packages and rebuilds incrementally.
#
#   ./setup.sh                       # Release build with tests
#   RATESIM_WERROR=ON ./setup.sh     # warnings are errors (what CI does)
#   RATESIM_BUILD_TESTS=OFF ./setup.sh   # only the ratesim binary
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  build-essential cmake ninja-build
  libyaml-cpp-dev libfmt-dev nlohmann-json3-dev zlib1g-dev
  libboost-program-options-dev libboost-random-dev libboost-math-dev
  libeigen3-dev catch2 libbenchmark-dev time
  python3 python3-matplotlib
)
# The tests render tools/plot.py's HTML report in a real browser, and run docs/scale-out.md's
# GNU parallel recipe.
if [ "${RATESIM_BUILD_TESTS:-ON}" != "OFF" ]; then packages+=(chromium parallel); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRATESIM_WERROR="${RATESIM_WERROR:-OFF}" \
  -DRATESIM_BUILD_TESTS="${RATESIM_BUILD_TESTS:-ON}" >/dev/null
cmake --build build

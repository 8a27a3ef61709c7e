# Sourced by the other scripts: where the build tools live and which versions we pin.
# Tools go to a user-local dir so every clone on a machine shares one install.
export POSTROOM_TOOLS="${POSTROOM_TOOLS:-$HOME/.local/share/postroom/tools}"
export PATH="$POSTROOM_TOOLS/bin:$HOME/.cargo/bin:$PATH"
export TRUNK_VERSION=0.22.1
export BINARYEN_VERSION=132
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
# Long backtraces make trunk's error output unreadable.
unset RUST_BACKTRACE

# The toolchain that builds wasm32: the default one when rustup could add the target, else
# the Debian-built one that scripts/setup-offline-wasm-std links as "debian-wasm".
wasm_toolchain() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup show active-toolchain 2>/dev/null | awk '{print $1; exit}'
  else
    echo debian-wasm
  fi
}

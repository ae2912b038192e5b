#!/bin/sh
# Regenerates the protobuf code of the embed benchmark's gRPC peer from
# outliers.proto.  Run it only when outliers.proto changes; its output is
# committed, so building and running the benchmark needs neither protoc nor
# the Swift plugin (which takes minutes to build):
#   client/Sources/EmbedGRPCClient/outliers.pb.swift   (protoc + protoc-gen-swift)
#   server/outliers_pb2.py, server/outliers_pb2_grpc.py (grpcio-tools)
# Needs: protoc (Debian: protobuf-compiler), grpcio-tools (pip), Swift.
# The plugin is built from swift-protobuf at the version the client's
# Package.swift uses, under benchmarks/_build/embed/ (ignored by git).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
version=1.39.0
work="$repo/benchmarks/_build/embed/protoc-gen-swift-$version"
plugin="$work/.build/debug/protoc-gen-swift"
python=${PYTHON:-python3}

if [ ! -x "$plugin" ]; then
  rm -rf "$work"
  git clone -q --depth 1 --branch "$version" https://github.com/apple/swift-protobuf.git "$work"
  # debug: the plugin runs once on one small file, optimising it only costs time
  swift build --package-path "$work" --product protoc-gen-swift
fi

out="$here/client/Sources/EmbedGRPCClient"
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$here" \
       --swift_opt=Visibility=Internal --swift_out="$out" "$here/outliers.proto"

"$python" -m grpc_tools.protoc --proto_path="$here" \
  --python_out="$here/server" --grpc_python_out="$here/server" "$here/outliers.proto"
echo "generated: $out/outliers.pb.swift, $here/server/outliers_pb2.py, $here/server/outliers_pb2_grpc.py"

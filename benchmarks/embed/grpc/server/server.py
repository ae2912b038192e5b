"""The embed benchmark's gRPC server: examples/outliers' ``detect`` behind
grpcio, for the Swift client in ../client.

``python3 server.py [--port P]`` serves on 127.0.0.1 (port 0: any free one)
and prints ``PORT <number>`` once it listens.  Detect turns the request's
packed doubles into a float64 array, runs ``outliers.detect`` and returns
the indices; Noop returns at once.  outliers.py is imported from
$OUTLIERS_MODULE_DIR (default: examples/outliers of this checkout).
"""
from __future__ import annotations

import argparse
import os
import sys
from concurrent import futures
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("OUTLIERS_MODULE_DIR", str(REPO / "examples" / "outliers")))

import grpc  # noqa: E402
import numpy as np  # noqa: E402

import outliers  # noqa: E402
import outliers_pb2  # noqa: E402
import outliers_pb2_grpc  # noqa: E402

MAX_MESSAGE = 1 << 30  # the 1e7-double request is 80 MB; grpcio's default limit is 4 MB


class Outliers(outliers_pb2_grpc.OutliersServicer):
    def Detect(self, request, context):
        values = request.values
        x = np.fromiter(values, dtype=np.float64, count=len(values))
        indices = outliers.detect(x, request.threshold)
        return outliers_pb2.DetectReply(indices=indices.tolist())

    def Noop(self, request, context):
        return outliers_pb2.Empty()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    options = [("grpc.max_receive_message_length", MAX_MESSAGE),
               ("grpc.max_send_message_length", MAX_MESSAGE)]
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1), options=options)
    outliers_pb2_grpc.add_OutliersServicer_to_server(Outliers(), server)
    port = server.add_insecure_port(f"127.0.0.1:{args.port}")
    if port == 0:
        print(f"server: cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1
    server.start()
    print(f"PORT {port}", flush=True)
    server.wait_for_termination()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

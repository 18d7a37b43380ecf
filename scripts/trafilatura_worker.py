#!/usr/bin/env python3
"""Long-lived trafilatura worker for newsdesk-eval.

Reads one JSON object a line on stdin, {"url": ..., "html_b64": ...}, and
writes one line back, {"text": ...} (null when trafilatura finds nothing),
with trafilatura's standard settings. The first line written is
{"version": ...} so the harness can name what it measured.
"""
import base64
import json
import sys
from importlib.metadata import version

import trafilatura


def main():
    out = sys.stdout
    out.write(json.dumps({"version": version("trafilatura")}) + "\n")
    out.flush()
    for line in sys.stdin:
        req = json.loads(line)
        html = base64.b64decode(req["html_b64"])
        try:
            text = trafilatura.extract(html, url=req.get("url") or None)
        except Exception as err:  # one bad page must not end the run
            sys.stderr.write("trafilatura failed on %s: %s\n" % (req.get("url"), err))
            text = None
        out.write(json.dumps({"text": text}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes testdata/streaming/golden.txt from an older wibl binary (see StreamingIdentityTests)."""
import glob, json, os, subprocess, sys, tempfile
wibl, root = sys.argv[1], sys.argv[2]
def fingerprint(doc):
    marker = b'"timestamp":"'
    h = 0xcbf29ce484222325
    i = 0
    out = bytearray()
    while i < len(doc):
        if doc.startswith(marker, i):
            out += marker
            i += len(marker)
            while i < len(doc) and doc[i] != 0x22: i += 1
            continue
        out.append(doc[i]); i += 1
    for b in out:
        h ^= b
        h = (h * 0x100000001b3) & 0xffffffffffffffff
    return format(h, "x")
lines = ["# input  fnv1a64-of-output-with-lineage-timestamps-blanked | error:<class>  (wibl convert --provider-id UNHJHC)"]
env = {k: v for k, v in os.environ.items() if k not in ("WIBL_CONFIG_FILE", "PROVIDER_ID")}
inputs = sorted(glob.glob(os.path.join(root, "testdata/wibl/*.wibl"))) + \
         sorted(glob.glob(os.path.join(root, "testdata/streaming/*.wibl"))) + \
         sorted(p for p in glob.glob(os.path.join(root, "testdata/fuzz/*")) if not p.endswith("README.md"))
with tempfile.TemporaryDirectory() as tmp:
    for path in inputs:
        rel = os.path.relpath(path, os.path.join(root, "testdata"))
        out = os.path.join(tmp, "out.geojson")
        if os.path.exists(out): os.unlink(out)
        r = subprocess.run([wibl, "convert", path, "-o", out, "--provider-id", "UNHJHC", "--json"],
                           capture_output=True, env=env)
        summary = json.loads(r.stdout)
        entry = summary["files"][0] if "files" in summary else summary
        if entry.get("errorClass"):
            lines.append(f"{rel} error:{entry['errorClass']}")
        else:
            lines.append(f"{rel} {fingerprint(open(out, 'rb').read())}")
open(os.path.join(root, "testdata/streaming/golden.txt"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))

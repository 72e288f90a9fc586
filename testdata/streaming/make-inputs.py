#!/usr/bin/env python3
"""One-off: derive test inputs for the streaming byte-identity test from simulated files.

Usage: make_streaming_inputs.py WIBL_BINARY OUTDIR
Writes simulated files of every source mix and variants with zeroed elapsed times (the §6
fix-up), appended algorithm requests (nodatareject twice, deduplicate) and a sentence with a
non-UTF-8 name.
"""
import os, struct, subprocess, sys

wibl, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def sim(name, *args):
    path = os.path.join(out, name)
    subprocess.run([wibl, "simulate", "-o", path, *args], check=True)
    return path

def packets(data):
    pos, result = 0, []
    while pos + 8 <= len(data):
        pid, length = struct.unpack_from("<II", data, pos)
        result.append((pid, bytearray(data[pos + 8:pos + 8 + length])))
        pos += 8 + length
    return result

def encode(pkts):
    return b"".join(struct.pack("<II", pid, len(p)) + bytes(p) for pid, p in pkts)

def lstr(s):
    b = s.encode()
    return struct.pack("<I", len(b)) + b

def zero_elapsed(pid, payload):
    if pid == 10 and len(payload) >= 4:             # SerialString: u32 elapsed first
        payload[0:4] = b"\0\0\0\0"
    elif pid in (1, 2, 3, 4, 5, 6, 7, 8, 9) and len(payload) >= 14:  # TimeDatum / SystemTime
        payload[10:14] = b"\0\0\0\0"
    elif pid in (11, 17) and len(payload) >= 4:     # Motion / RawIMU
        payload[0:4] = b"\0\0\0\0"

def write(name, pkts):
    with open(os.path.join(out, name), "wb") as f:
        f.write(encode(pkts))

common = ["--duration", "240"]
sim("sim-n2k-v13.wibl", *common, "--seed", "11", "--sources", "nmea2000", "--no-data-prob", "0.05",
    "--duplicate-depth-prob", "0.05")
sim("sim-n0183-v13.wibl", *common, "--seed", "12", "--sources", "nmea0183", "--heading",
    "--duplicate-depth-prob", "0.05")
sim("sim-mixed-v13.wibl", *common, "--seed", "13", "--sources", "mixed", "--heading", "--no-data-prob", "0.05",
    "--duplicate-depth-prob", "0.05")
sim("sim-mixed-v10.wibl", *common, "--seed", "14", "--sources", "mixed", "--version", "1.0")
sim("sim-n0183-v11.wibl", *common, "--seed", "15", "--sources", "nmea0183", "--version", "1.1")
sim("sim-n2k-v12.wibl", *common, "--seed", "16", "--sources", "nmea2000", "--version", "1.2")
sim("sim-mixed-meta.wibl", *common, "--seed", "17", "--sources", "mixed",
    "--json-metadata", '{"properties":{"platform":{"name":"Streamer","length":9.5},"processing":[]},"extra":[1,2.5,"x"]}')

# §6: runs of zeroed elapsed times of every length, in ZDA-timed (n0183) and mixed files.
for base, name, nodata in [("sim-n0183-v13.wibl", "zeroed-n0183.wibl", False),
                           ("sim-mixed-v13.wibl", "zeroed-mixed.wibl", False),
                           ("sim-n2k-v13.wibl", "zeroed-n2k-nodatareject.wibl", True)]:
    pkts = packets(open(os.path.join(out, base), "rb").read())
    for i, (pid, payload) in enumerate(pkts):
        if i > 2 and (i % 17 in (3, 4, 5) or i % 29 == 0 or i % 53 in (7, 8)):
            zero_elapsed(pid, payload)
    if nodata:
        pkts.insert(2, (13, bytearray(lstr("nodatareject") + lstr(""))))
        pkts.insert(3, (13, bytearray(lstr("nodatareject") + lstr("mode=again"))))
        pkts.insert(4, (13, bytearray(lstr("deduplicate") + lstr("a=1,b=2,a=3"))))
        pkts.insert(5, (13, bytearray(lstr("nodatareject") + lstr(""))))  # a repeat: de-duplicated
    write(name, pkts)

# nodatareject + deduplicate on a mixed file with no-data values, and a sentence whose name is not UTF-8.
pkts = packets(open(os.path.join(out, "sim-mixed-v13.wibl"), "rb").read())
pkts.insert(1, (13, bytearray(lstr("deduplicate") + lstr(""))))
pkts.insert(2, (13, bytearray(lstr("nodatareject") + lstr("x=y"))))
bad = b"$GP\xff\xfeA,1,2*00\r\n"
pkts.insert(40, (10, bytearray(struct.pack("<I", 1234) + bad)))
pkts.insert(41, (10, bytearray(struct.pack("<I", 0) + bad)))
write("algorithms-mixed.wibl", pkts)

# A ZDA-only time source with zero elapsed times from the very first sentence (the seed is lost).
pkts = packets(open(os.path.join(out, "sim-n0183-v11.wibl"), "rb").read())
for i, (pid, payload) in enumerate(pkts):
    if pid == 10 and i < 60:
        zero_elapsed(pid, payload)
write("zeroed-n0183-start.wibl", pkts)

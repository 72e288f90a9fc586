#!/usr/bin/env python3
"""Peak RSS and time of the Lambda `process` handler on one real logger file (issue 11).

Starts moto (scripts/moto.sh, SigV4 checked), creates the incoming and staging buckets, uploads a
simulated logger file of the given size, then runs the built `bootstrap` against the local Runtime
API stand-in of AWS-setup/lib/runtime_api_probe.py with an S3 ObjectCreated event for that file, and
reads the handler's peak RSS from wait4(). The handler downloads the file, converts it and uploads
the GeoJSON to the staging bucket, as in Lambda.

Usage: scripts/measure-handler-rss.py BOOTSTRAP WIBL [--mib 10] [--runs 3]
  BOOTSTRAP  the built bootstrap (e.g. .build/release/bootstrap)
  WIBL       a wibl binary, used to simulate the logger file
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
sys.path.insert(0, os.path.join(root, "AWS-setup", "lib"))
import runtime_api_probe  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bootstrap")
    ap.add_argument("wibl")
    ap.add_argument("--mib", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    bootstrap = os.path.abspath(args.bootstrap)
    state = tempfile.mkdtemp(prefix="wibl-rss-")
    subprocess.run([os.path.join(here, "moto.sh"), "start", state], check=True, stdout=subprocess.DEVNULL)
    try:
        env = dict(line.split("=", 1) for line in open(os.path.join(state, "env")).read().split("\n") if "=" in line)
        import boto3
        s3 = boto3.client("s3", endpoint_url=env["WIBL_TEST_S3_ENDPOINT"], region_name=env["WIBL_TEST_AWS_REGION"],
                          aws_access_key_id=env["WIBL_TEST_AWS_ACCESS_KEY_ID"],
                          aws_secret_access_key=env["WIBL_TEST_AWS_SECRET_ACCESS_KEY"])
        for bucket in ("wibl-incoming", "wibl-staging"):
            s3.create_bucket(Bucket=bucket)
        path = os.path.join(state, "logger.wibl")
        subprocess.run([args.wibl, "simulate", "-o", path, "--duration", str(args.mib * 1048576 / 325),
                        "--seed", "5"], check=True, stdout=subprocess.DEVNULL)
        size = os.path.getsize(path)
        s3.upload_file(path, "wibl-incoming", "logger.wibl")
        runtime_api_probe.TEST_EVENT = {"Records": [{
            "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": env["WIBL_TEST_AWS_REGION"],
            "eventName": "ObjectCreated:Put",
            "s3": {"bucket": {"name": "wibl-incoming"}, "object": {"key": "logger.wibl", "size": size}}}]}
        extra = {
            "AWS_ENDPOINT_URL_S3": env["WIBL_TEST_S3_ENDPOINT"], "AWS_REGION": env["WIBL_TEST_AWS_REGION"],
            "AWS_DEFAULT_REGION": env["WIBL_TEST_AWS_REGION"],
            "AWS_ACCESS_KEY_ID": env["WIBL_TEST_AWS_SESSION_ACCESS_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": env["WIBL_TEST_AWS_SESSION_SECRET_ACCESS_KEY"],
            "AWS_SESSION_TOKEN": env["WIBL_TEST_AWS_SESSION_TOKEN"],
            "STAGING_BUCKET": "wibl-staging", "PROVIDER_ID": "RSSPROBE",
        }
        rss, seconds = [], []
        for i in range(args.runs):
            s3.delete_object(Bucket="wibl-staging", Key="logger.json")
            r = runtime_api_probe.run_once(bootstrap, "process", args.timeout, extra)
            staged = s3.list_objects_v2(Bucket="wibl-staging").get("Contents", [])
            ok = r["kind"] == "response" and staged
            print(f"run {i + 1}: {r['kind']}, handler {r['first_ms']} ms, peak RSS {r['rss_kb'] / 1024:.1f} MiB, "
                  f"staged {[(o['Key'], o['Size']) for o in staged]}")
            if not ok:
                print(r["output"][-3000:])
                sys.exit(1)
            rss.append(r["rss_kb"] * 1024)
            seconds.append(r["first_ms"] / 1000)
        m = statistics.median(rss)
        limit = 1.5 * size + 16e6
        print(json.dumps({"input_bytes": size, "median_peak_rss_bytes": m, "rss_over_input": m / size,
                          "median_handler_seconds": statistics.median(seconds),
                          "target_bytes": limit, "met": m <= limit}))
    finally:
        subprocess.run([os.path.join(here, "moto.sh"), "stop", state], stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()

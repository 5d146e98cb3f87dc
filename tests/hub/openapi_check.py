#!/usr/bin/env python3
"""docs/openapi.yaml parses, documents every route hub/src/server.cpp registers (method and path), and lists
the answers the HTTP layer gives on any route (411, 413, 431, 503...). With --lint it also runs a standard
validator, @redocly/cli through npx, when npx can fetch it; offline that step says so and is skipped."""
import argparse
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:
    sys.exit("openapi_check: python3-yaml is not installed (scripts/install-deps installs it)")

SERVER_WIDE = {"400", "408", "411", "413", "414", "415", "431", "503"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--server", required=True, help="hub/src/server.cpp")
    parser.add_argument("--lint", action="store_true")
    args = parser.parse_args()

    with open(args.spec, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    problems = []
    if not str(spec.get("openapi", "")).startswith("3."):
        problems.append("not an OpenAPI 3 document")
    paths = spec.get("paths", {})
    with open(args.server, encoding="utf-8") as f:
        registered = re.findall(r'add\("(GET|POST|DELETE|PUT|PATCH)", "([^"]+)"', f.read())
    if len(registered) < 10:
        problems.append(f"found only {len(registered)} routes in {args.server}: has the registration changed?")
    for method, path in registered:
        operation = paths.get(path, {}).get(method.lower())
        if operation is None:
            problems.append(f"{method} {path} is served but not documented")
            continue
        missing = SERVER_WIDE - set(str(code) for code in operation.get("responses", {}))
        if missing:
            problems.append(f"{method} {path} does not list {sorted(missing)}, which the server may answer")
    for path, operations in paths.items():
        for method in operations:
            if (method.upper(), path) not in registered:
                problems.append(f"{method.upper()} {path} is documented but not served")
    for problem in problems:
        print("openapi_check:", problem, file=sys.stderr)
    if problems:
        return 1
    print(f"openapi_check: {len(registered)} routes, all documented")

    if args.lint:
        if shutil.which("npx") is None:
            print("openapi_check: npx is not installed: the @redocly/cli lint is skipped")
            return 0
        try:
            run = subprocess.run(["npx", "-y", "@redocly/cli@1.25.0", "lint", args.spec], capture_output=True,
                                 text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print("openapi_check: @redocly/cli did not finish in 300 s (offline?): the lint is skipped")
            return 0
        output = run.stdout + run.stderr
        if run.returncode != 0 and ("ENOTFOUND" in output or "EAI_AGAIN" in output or "network" in output.lower()):
            print("openapi_check: npm's registry is unreachable: the @redocly/cli lint is skipped")
            return 0
        print(output)
        return run.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())

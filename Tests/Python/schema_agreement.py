"""Checks that editors/schema/lifecycle-job.schema.json and `lifecycle-job check` judge the
schema fixtures the same way: valid fixtures pass both, invalid fixtures fail both.

Usage: python3 schema_agreement.py LIFECYCLE_JOB_BINARY
Prints one line per disagreement and exits 1 when there is any.
"""

import json
import pathlib
import subprocess
import sys

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "editors/schema/lifecycle-job.schema.json").read_text())
FIXTURES = ROOT / "Tests/Fixtures/schema"

# The structural codes: what a JSON Schema can express.
STRUCTURAL = {
    "yaml-syntax", "duplicate-key", "unknown-key", "missing-key", "wrong-type", "invalid-value",
    "out-of-range", "conflicting-keys", "command-not-array", "command-element-not-string",
    "invalid-variable-name", "reserved-variable-prefix",
}


def main() -> int:
    binary = sys.argv[1]
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    disagreements = []
    count = 0
    for expected in ("valid", "invalid"):
        for path in sorted((FIXTURES / expected).glob("*.yaml")):
            count += 1
            document = yaml.safe_load(path.read_text())
            schema_errors = [e.message for e in validator.iter_errors(document)]
            result = subprocess.run(
                [binary, "check", "--format", "json", str(path)], capture_output=True, text=True, check=False
            )
            diagnostics = json.loads(result.stdout)["diagnostics"]
            codes = sorted(
                d["code"] for d in diagnostics if d["severity"] == "error" and d["code"] in STRUCTURAL
            )
            schema_valid = not schema_errors
            check_valid = not codes
            want = expected == "valid"
            if schema_valid != want or check_valid != want:
                disagreements.append(
                    f"{expected}/{path.name}: schema {'accepts' if schema_valid else 'rejects'} "
                    f"{schema_errors[:1]}, check {'accepts' if check_valid else 'rejects'} {codes}"
                )
    for line in disagreements:
        print(line)
    print(f"{count} fixtures, {len(disagreements)} disagreements")
    return 1 if disagreements or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

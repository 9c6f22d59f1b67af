#!/usr/bin/python3
"""Validates result files of `nextlevel evaluate --format json` against docs/results.schema.json.

usage: check_json_schema.py RESULTS.json...

Exits 0 and prints "ok" when every file is valid UTF-8 JSON that the schema accepts; prints each
problem (file, JSON path, message) and exits 1 otherwise; exits 77 when python3-jsonschema is
not installed, which CTest reports as skipped.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed")
    sys.exit(77)

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                      "results.schema.json")


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    problems = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            document = json.loads(f.read().decode("utf-8"))
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
            problems += 1
    if problems:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validates JSON documents against a JSON schema with python3-jsonschema.

Usage: json_schema_check.py SCHEMA FILE...  Each FILE holds one document, or a
JSON array of documents (as `estatectl export --all` prints). Prints every
violation as FILE[index]: path: message and exits 1 if there is any; exits 77
when python3-jsonschema is not installed, so a test can skip.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    errors = 0
    checked = 0
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            data = json.load(f)
        documents = data if isinstance(data, list) else [data]
        for i, document in enumerate(documents):
            checked += 1
            for error in validator.iter_errors(document):
                errors += 1
                path = "/".join(str(p) for p in error.absolute_path)
                print(f"{name}[{i}]: {path}: {error.message}")
    print(f"{checked} documents checked, {errors} violations")
    return 1 if errors or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

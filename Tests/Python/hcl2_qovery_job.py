"""Prints the settings python-hcl2 reads from each `qovery_job` resource of a .tf file, normalised
for comparison with lifecycle-job's reading (`TerraformJobReader`): one JSON object per line
{"resource", "name", "lifecycle_type", "cpu", "memory", "max_duration_seconds", "max_nb_restart",
 "events": {"start": {"entrypoint", "arguments"}}, "variables": [[kind, key, value]]}, kind being
environment, secret or alias as in a spec.
A value Terraform computes (`${var.x}` in python-hcl2's notation) is null.
"""

import json
import re
import sys

import hcl2


def literal(value):
    """The value of an HCL string literal as python-hcl2 returns it (quotes and escapes kept)."""
    if not isinstance(value, str) or not (len(value) >= 2 and value[0] == '"' and value[-1] == '"'):
        return None
    text = value[1:-1]
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escape = text[index + 1]
            if escape in "uU":
                count = 4 if escape == "u" else 8
                out.append(chr(int(text[index + 2:index + 2 + count], 16)))
                index += 2 + count
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(escape, "\\" + escape))
            index += 2
            continue
        if char in "$%" and text[index:index + 3] == char * 2 + "{":
            out.append(char + "{")
            index += 3
            continue
        if char in "$%" and text[index:index + 2] == char + "{":
            return None  # A template: computed.
        out.append(char)
        index += 1
    return "".join(out)


def main(path):
    with open(path, encoding="utf-8") as handle:
        document = hcl2.load(handle)
    for resources in document.get("resource", []):
        for kind, named in resources.items():
            if kind.strip('"') != "qovery_job":
                continue
            for name, body in named.items():
                schedule = body.get("schedule", {})
                events = {}
                for event in ("start", "stop", "delete"):
                    if "on_" + event in schedule:
                        value = schedule["on_" + event]
                        events[event] = {
                            "entrypoint": literal(value["entrypoint"]) if "entrypoint" in value else None,
                            "arguments": [literal(a) for a in value["arguments"]] if "arguments" in value else None,
                        }
                variables = []
                for attribute in ("environment_variables", "secrets", "environment_variable_aliases",
                                  "secret_aliases", "environment_variable_overrides", "secret_overrides"):
                    for entry in body.get(attribute, []):
                        kind = "alias" if "alias" in attribute else "secret" if attribute.startswith("secret") else "environment"
                        value = None if kind == "secret" else literal(entry["value"])
                        variables.append([kind, literal(entry["key"]), value])
                print(json.dumps({
                    "resource": name.strip('"'),
                    "name": literal(body.get("name")),
                    "lifecycle_type": literal(schedule.get("lifecycle_type")),
                    "cpu": body.get("cpu", 500),
                    "memory": body.get("memory", 512),
                    "max_duration_seconds": body.get("max_duration_seconds", 300),
                    "max_nb_restart": body.get("max_nb_restart", 0),
                    "events": events,
                    "variables": variables,
                }, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])

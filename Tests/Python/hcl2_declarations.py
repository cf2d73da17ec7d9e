"""Prints the variable and output declarations python-hcl2 reads from a .tf file, normalised
for comparison with lifecycle-job's Terraform reader: one JSON object
{"variables": [[name, has_default, description, sensitive]], "outputs": [[name, description, sensitive]]}.
"""

import json
import sys

import hcl2


def heredoc(value):
    """The content of `<<EOT ... EOT` (common indentation removed for `<<-EOT`)."""
    lines = value.split("\n")
    body = lines[1:-1]
    if value.startswith("<<-"):
        indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
        cut = min(indents) if indents else 0
        body = [line[cut:] for line in body]
    return "\n".join(body) + "\n" if body else ""


def unquote(value):
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        try:
            value = json.loads(value)
        except json.JSONDecodeError:  # A heredoc: raw line breaks inside the quotes.
            value = value[1:-1]
    if isinstance(value, str) and value.startswith("<<"):
        return heredoc(value)
    return value


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = hcl2.load(handle)
    variables = []
    for block in document.get("variable", []):
        for name, body in block.items():
            description = body.get("description")
            variables.append([unquote(name), "default" in body, unquote(description), body.get("sensitive") is True])
    outputs = []
    for block in document.get("output", []):
        for name, body in block.items():
            outputs.append([unquote(name), unquote(body.get("description")), body.get("sensitive") is True])
    print(json.dumps({"variables": variables, "outputs": outputs}))


if __name__ == "__main__":
    main()

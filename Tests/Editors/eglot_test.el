;;; eglot_test.el --- Emacs + eglot (strict mode) driving the real server  -*- lexical-binding: t; -*-
;; Environment: LJ_BIN, LJ_PLUGIN (editors/emacs), LJ_JOB, LJ_OUT. Run:
;;   emacs --batch -Q -l Tests/Editors/eglot_test.el

(require 'package)
;; -Q skips Debian's site start file, which adds the elpa-* packages (eglot on Emacs 28).
(when (file-directory-p "/usr/share/emacs/site-lisp/elpa")
  (add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(add-to-list 'load-path (getenv "LJ_PLUGIN"))
(require 'lifecycle-job)
(require 'flymake)

(setq eglot-strict-mode '(disallow-non-standard-keys enforce-required-keys))
(setq lifecycle-job-command (list (getenv "LJ_BIN") "lsp"))
(setq eglot-sync-connect t)

(defvar lj-lines nil)
(defun lj-emit (format-string &rest arguments)
  (push (apply #'format format-string arguments) lj-lines))

(defun lj-wait (predicate seconds)
  "Process events until PREDICATE holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defun lj-position (line character)
  (save-excursion
    (goto-char (point-min))
    (forward-line line)
    (forward-char character)
    (point)))

(condition-case failure
    (progn
      (find-file (concat (getenv "LJ_JOB") "/lifecycle-job.yaml"))
      (lj-emit "mode %s" major-mode)
      (apply #'eglot (eglot--guess-contact))
      (lj-emit "managed %s" (if (eglot-current-server) "yes" "no"))
      (flymake-start)
      (lj-wait (lambda () (flymake-start) (flymake-diagnostics)) 10)
      (dolist (diagnostic (sort (flymake-diagnostics)
                                (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))
        (let ((beg (flymake-diagnostic-beg diagnostic)))
          (save-excursion
            (goto-char beg)
            (lj-emit "diagnostic %d:%d %s" (1- (line-number-at-pos)) (current-column)
                     (flymake-diagnostic-text diagnostic)))))
      (goto-char (lj-position 7 2))
      (let* ((capf (eglot-completion-at-point))
             (table (nth 2 capf)))
        (dolist (label (all-completions "" table))
          (lj-emit "completion %s" (substring-no-properties label))))
      (goto-char (lj-position 3 62))
      (let (hover)
        (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover info)))
        (lj-wait (lambda () hover) 10)
        (lj-emit "hover %s" (replace-regexp-in-string "\n" "\\\\n" (substring-no-properties (or hover "none")))))
      (eglot-shutdown (eglot-current-server)))
  (error (lj-emit "failure %S" failure)))

(with-temp-file (getenv "LJ_OUT")
  (insert (mapconcat #'identity (reverse lj-lines) "\n") "\n"))
(kill-emacs 0)

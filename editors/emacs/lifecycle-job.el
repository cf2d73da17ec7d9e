;;; lifecycle-job.el --- lifecycle-job language server with eglot  -*- lexical-binding: t; -*-

;; Starts `lifecycle-job lsp' through eglot for job specs and Dockerfiles.
;; Works with Emacs 28 (eglot from ELPA) and 29 or later (built in).
;;
;; The settings go to the server as `initializationOptions', so the user's own
;; `eglot-workspace-configuration' (for other servers) is left as it is.  Runs
;; (`lifecycle-job-run', or the "Run start" code action) are answered at once;
;; their log fills the buffer *lifecycle-job log*, shown when a run starts.

;;; Code:

(require 'eglot)
(require 'jsonrpc)
(require 'cl-lib)

(defgroup lifecycle-job nil
  "Lifecycle job specs and Dockerfiles."
  :group 'tools)

(defcustom lifecycle-job-command '("lifecycle-job" "lsp")
  "The language server command."
  :type '(repeat string))

(defcustom lifecycle-job-severity nil
  "Severity per diagnostic code, e.g. ((secret-in-plain-text . \"off\"))."
  :type '(alist :key-type symbol :value-type string))

(defcustom lifecycle-job-run-env-file nil
  "An env file (NAME=VALUE lines) whose secrets runs from Emacs get.
Relative to the project's root."
  :type '(choice (const nil) string))

(defcustom lifecycle-job-run-env nil
  "Secret values for runs from Emacs, e.g. ((\"API_TOKEN\" . \"...\"))."
  :type '(alist :key-type string :value-type string))

(defcustom lifecycle-job-show-log t
  "Show the *lifecycle-job log* buffer when a run starts."
  :type 'boolean)

;; Specs are YAML: use yaml-mode when it is installed, a plain mode otherwise.
(defalias 'lifecycle-job--parent-mode (if (fboundp 'yaml-mode) 'yaml-mode 'prog-mode))
(define-derived-mode lifecycle-job-mode lifecycle-job--parent-mode "Lifecycle-Job"
  "Major mode for lifecycle-job.yaml files."
  (setq-local comment-start "# "))

;; Dockerfiles: `dockerfile-mode' (or Emacs 29's `dockerfile-ts-mode') when installed, else this
;; small mode, so that a Dockerfile is served either way.
(define-derived-mode lifecycle-job-dockerfile-mode prog-mode "Dockerfile"
  "Fallback major mode for Dockerfiles when dockerfile-mode is not installed."
  (setq-local comment-start "# "))
(unless (or (fboundp 'dockerfile-mode) (fboundp 'dockerfile-ts-mode))
  (add-to-list 'auto-mode-alist
               '("\\(?:\\`\\|/\\)\\(?:[^/]*\\.\\)?[Dd]ockerfile\\(?:\\.[^/]*\\)?\\'" . lifecycle-job-dockerfile-mode)))

(add-to-list 'auto-mode-alist
             '("\\(?:\\`\\|/\\)\\(?:[^/]*\\.\\)?lifecycle-job\\.\\(?:ya?ml\\|json\\)\\'" . lifecycle-job-mode))

(defclass lifecycle-job-server (eglot-lsp-server) ()
  :documentation "The lifecycle-job language server.")

(defun lifecycle-job--contact (&optional _interactive)
  "The server for eglot, or a clear error when the executable is missing."
  (let ((missing (lifecycle-job--missing-executable)))
    (when missing (user-error "%s" missing)))
  (cons 'lifecycle-job-server lifecycle-job-command))

(defun lifecycle-job--missing-executable ()
  "The message for a missing executable, or nil when it is there."
  (unless (executable-find (car lifecycle-job-command))
    (format "lifecycle-job: `%s' is not an executable on PATH: install it, or set `lifecycle-job-command'"
            (car lifecycle-job-command))))

;;;###autoload
(defun lifecycle-job-eglot-ensure ()
  "`eglot-ensure' for this buffer, or a clear message when the executable is missing.
For `lifecycle-job-mode-hook' and the Dockerfile modes' hooks."
  (let ((missing (lifecycle-job--missing-executable)))
    (if missing
        (display-warning 'lifecycle-job missing :error)
      (eglot-ensure))))

(add-to-list 'eglot-server-programs
             '((lifecycle-job-mode lifecycle-job-dockerfile-mode dockerfile-mode dockerfile-ts-mode)
               . lifecycle-job--contact))

(defun lifecycle-job--plist (alist)
  "ALIST with symbol or string keys as a JSON object plist."
  (let (plist)
    (dolist (pair alist (nreverse plist))
      (push (intern (format ":%s" (car pair))) plist)
      (push (cdr pair) plist))))

(defun lifecycle-job--settings ()
  "The `lifecycle-job' settings: severities, and what runs are given."
  (let ((run (append (when lifecycle-job-run-env-file (list :envFile lifecycle-job-run-env-file))
                     (when lifecycle-job-run-env (list :env (lifecycle-job--plist lifecycle-job-run-env))))))
    (append (when lifecycle-job-severity (list :severity (lifecycle-job--plist lifecycle-job-severity)))
            (when run (list :run run)))))

(cl-defmethod eglot-initialization-options ((_server lifecycle-job-server))
  "The settings, sent at start (`M-x eglot-reconnect' after changing them)."
  (or (lifecycle-job--settings) eglot--{}))

(defvar lifecycle-job--last-log nil
  "The log file of the last run started from this Emacs.")

(defun lifecycle-job--log-buffer ()
  (or (get-buffer "*lifecycle-job log*")
      (with-current-buffer (get-buffer-create "*lifecycle-job log*")
        (special-mode)
        (current-buffer))))

(cl-defmethod eglot-handle-notification
  ((_server lifecycle-job-server) (_method (eql window/logMessage)) &key type message)
  "Runs' log lines (and the server's notes) go to *lifecycle-job log*."
  (when (<= type 3)
    (with-current-buffer (lifecycle-job--log-buffer)
      (let ((inhibit-read-only t)
            (follow (= (point) (point-max))))
        (save-excursion
          (goto-char (point-max))
          (insert message "\n"))
        (when follow (goto-char (point-max)))
        (dolist (window (get-buffer-window-list (current-buffer) nil t))
          (set-window-point window (point-max)))))))

(cl-defmethod eglot-execute-command ((server lifecycle-job-server) command arguments)
  "Send COMMAND without waiting: the server answers a run at once, and the run goes on."
  (jsonrpc-async-request
   server :workspace/executeCommand
   `(:command ,(format "%s" command) :arguments ,arguments)
   :success-fn (lambda (result)
                 (let ((log (and (listp result) (plist-get result :logFile))))
                   (when log
                     (setq lifecycle-job--last-log log)
                     (when lifecycle-job-show-log
                       (display-buffer (lifecycle-job--log-buffer)
                                       '(display-buffer-at-bottom (window-height . 10)))))))
   :error-fn (lambda (error)
               (message "lifecycle-job: %s" (plist-get error :message)))))

(defun lifecycle-job--server ()
  (or (eglot-current-server)
      (user-error "lifecycle-job: this buffer is not managed by eglot (M-x eglot)")))

(defun lifecycle-job-run (event)
  "Run EVENT (start, stop or delete) of the job spec in this buffer."
  (interactive (list (completing-read "Run event: " '("start" "stop" "delete") nil t nil nil "start")))
  (eglot-execute-command (lifecycle-job--server) 'lifecycle-job.runEvent
                         (vector (eglot--path-to-uri (buffer-file-name)) event)))

(defun lifecycle-job-stop (event)
  "Stop the run of EVENT of the job spec in this buffer."
  (interactive (list (completing-read "Stop the run of: " '("start" "stop" "delete") nil t nil nil "start")))
  (eglot-execute-command (lifecycle-job--server) 'lifecycle-job.stopRun
                         (vector (eglot--path-to-uri (buffer-file-name)) event)))

(defun lifecycle-job-open-log ()
  "Open the whole log of the last run, following it as it grows."
  (interactive)
  (unless lifecycle-job--last-log (user-error "lifecycle-job: no run yet"))
  (find-file-other-window lifecycle-job--last-log)
  (auto-revert-tail-mode 1))

(provide 'lifecycle-job)
;;; lifecycle-job.el ends here

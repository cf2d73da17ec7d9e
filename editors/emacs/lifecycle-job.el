;;; lifecycle-job.el --- lifecycle-job language server with eglot  -*- lexical-binding: t; -*-

;; Starts `lifecycle-job lsp' through eglot for job specs and Dockerfiles.
;; Works with Emacs 28 (eglot from ELPA) and 29 or later (built in).

;;; Code:

(require 'eglot)

(defgroup lifecycle-job nil
  "Lifecycle job specs and Dockerfiles."
  :group 'tools)

(defcustom lifecycle-job-command '("lifecycle-job" "lsp")
  "The language server command."
  :type '(repeat string))

(defcustom lifecycle-job-severity nil
  "Severity per diagnostic code, e.g. ((secret-in-plain-text . \"off\"))."
  :type '(alist :key-type symbol :value-type string))

;; Specs are YAML: use yaml-mode when it is installed, a plain mode otherwise.
(defalias 'lifecycle-job--parent-mode (if (fboundp 'yaml-mode) 'yaml-mode 'prog-mode))
(define-derived-mode lifecycle-job-mode lifecycle-job--parent-mode "Lifecycle-Job"
  "Major mode for lifecycle-job.yaml files."
  (setq-local comment-start "# "))

(unless (fboundp 'dockerfile-mode)
  (define-derived-mode lifecycle-job-dockerfile-mode prog-mode "Dockerfile"
    "Fallback major mode for Dockerfiles when dockerfile-mode is not installed."
    (setq-local comment-start "# "))
  (add-to-list 'auto-mode-alist
               '("\\(?:\\`\\|/\\)\\(?:[^/]*\\.\\)?[Dd]ockerfile\\(?:\\.[^/]*\\)?\\'" . lifecycle-job-dockerfile-mode)))

(add-to-list 'auto-mode-alist
             '("\\(?:\\`\\|/\\)\\(?:[^/]*\\.\\)?lifecycle-job\\.\\(?:ya?ml\\|json\\)\\'" . lifecycle-job-mode))

(add-to-list 'eglot-server-programs
             `((lifecycle-job-mode dockerfile-mode dockerfile-ts-mode lifecycle-job-dockerfile-mode)
               . ,(lambda (&optional _interactive) lifecycle-job-command)))

(defun lifecycle-job--workspace-configuration (&optional _server)
  "The `lifecycle-job' settings sent as `workspace/configuration'."
  `((:lifecycle-job . (:severity ,(let (plist)
                                     (dolist (pair lifecycle-job-severity plist)
                                       (setq plist (plist-put plist (intern (format ":%s" (car pair))) (cdr pair)))))))))

(setq-default eglot-workspace-configuration #'lifecycle-job--workspace-configuration)

(provide 'lifecycle-job)
;;; lifecycle-job.el ends here

-- Neovim 0.11+: `vim.lsp.enable("lifecycle_job")` with editors/neovim on 'runtimepath'.
-- It attaches only to the files the server handles (job specs, Dockerfiles, qovery-output.json),
-- never to other YAML or JSON files. Override any field with vim.lsp.config("lifecycle_job", {…}).
local lifecycle_job = require("lifecycle-job")
lifecycle_job.create_commands()
local config = lifecycle_job.client_config(nil)
config.filetypes = { "yaml", "json", "dockerfile" }
config.root_dir = function(bufnr, on_dir)
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path ~= "" and lifecycle_job.handles(path) then on_dir(lifecycle_job.root_of(path)) end
end
return config

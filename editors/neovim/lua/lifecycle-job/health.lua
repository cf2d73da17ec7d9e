-- :checkhealth lifecycle-job
local M = {}

function M.check()
  local health = vim.health or require("health")
  local start = health.start or health.report_start
  local ok = health.ok or health.report_ok
  local info = health.info or health.report_info
  local warn = health.warn or health.report_warn
  local error = health.error or health.report_error
  local lifecycle_job = require("lifecycle-job")

  start("lifecycle-job")
  if vim.fn.has("nvim-0.7") ~= 1 then error("Neovim 0.7 or later is needed") end
  local executable = lifecycle_job.config.cmd[1]
  if vim.fn.executable(executable) == 1 then
    local version = vim.fn.system({ executable, "--version" }):gsub("%s+$", "")
    ok("`" .. executable .. "` found: " .. vim.fn.exepath(executable) .. " (" .. version .. ")")
  else
    error("`" .. executable .. "` is not an executable on PATH",
      { "install it (see the README), or give its full path: setup({ cmd = { '/path/to/lifecycle-job', 'lsp' } })" })
  end
  local running = lifecycle_job.clients()
  for _, client in ipairs(running) do
    info("server running for " .. tostring(client.config.root_dir))
  end
  if #running == 0 then info("no server running (open a lifecycle-job.yaml or a Dockerfile)") end
  info("runs' logs: " .. lifecycle_job.log_folder() .. " (:LifecycleJobLog opens the last)")
  local log_path = (vim.lsp.log and vim.lsp.log.get_filename) and vim.lsp.log.get_filename() or vim.lsp.get_log_path()
  info("the server's own log: " .. log_path)
  local run = lifecycle_job.settings().run or {}
  if run.envFile then
    info("runs take their secrets from run.envFile = " .. run.envFile)
  elseif not run.env then
    warn("no run.envFile or run.env setting: runs see only the secrets of Neovim's environment")
  end
end

return M

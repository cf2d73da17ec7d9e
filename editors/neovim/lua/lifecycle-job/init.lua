-- lifecycle-job for Neovim: starts `lifecycle-job lsp` for job specs, Dockerfiles and output
-- files, and only for them.
-- Neovim 0.7 (vim.lsp.start_client + buf_attach_client), 0.8+ (vim.lsp.start); on 0.11+ the
-- `lsp/lifecycle_job.lua` of this folder also serves vim.lsp.config / vim.lsp.enable.
local M = {}

M.config = {
  -- The server command; `lifecycle-job` must be on PATH, or give its full path.
  cmd = { "lifecycle-job", "lsp" },
  -- The `lifecycle-job` settings, e.g.
  -- { severity = { ["secret-in-plain-text"] = "off" },
  --   run = { envFile = ".env.lifecycle-job", env = { API_TOKEN = "…" } } }.
  -- Sent as workspace/didChangeConfiguration and answered to workspace/configuration.
  settings = {},
  -- Passed as `initializationOptions`.
  init_options = {},
  -- Refresh the ▶ Run lenses when entering a buffer, leaving insert mode and saving.
  codelens = true,
  -- 0.11+: enable vim.lsp.completion (snippets expanded on <C-y>) and `menuone` in served buffers.
  completion = true,
  -- Show the log window (lifecycle-job://log) when a run starts.
  show_log = true,
}

-- File names the server understands (Lua patterns on the file's name).
M.patterns = {
  "^lifecycle%-job%.ya?ml$", "%.lifecycle%-job%.ya?ml$", "^lifecycle%-job%.json$",
  "^[Dd]ockerfile$", "%.[Dd]ockerfile$", "^[Dd]ockerfile%..+$", "^qovery%-output%.json$",
}

-- True when the server handles the file at `path` (by its name).
function M.handles(path)
  local name = vim.fn.fnamemodify(path, ":t")
  for _, pattern in ipairs(M.patterns) do
    if name:match(pattern) then return true end
  end
  return false
end

-- The repository holding `path` (its nearest `.git`), else the file's folder.
function M.root_of(path)
  local folder = vim.fn.fnamemodify(path, ":p:h")
  local git = vim.fn.finddir(".git", folder .. ";")
  if git == "" then git = vim.fn.findfile(".git", folder .. ";") end
  if git ~= "" then return vim.fn.fnamemodify(git, ":p:h:h") end
  return folder
end

-- Client methods: called with `:` from 0.11 (the `.` form is deprecated there), `.` before.
local modern = vim.fn.has("nvim-0.11") == 1
local function call(client, method, ...)
  if modern then return client[method](client, ...) end
  return client[method](...)
end

local function get_clients()
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)()
end

local function notify(message, level)
  vim.schedule(function() vim.notify("lifecycle-job: " .. message, level or vim.log.levels.INFO) end)
end

-- The log file of the last run started from this Neovim.
M.last_log = nil

-- Where the server keeps runs' logs when `run.logFolder` is not set.
function M.log_folder()
  local run = M.settings().run or {}
  if run.logFolder then return run.logFolder end
  local state = os.getenv("XDG_STATE_HOME")
  if state and state:sub(1, 1) == "/" then return state .. "/lifecycle-job/runs" end
  return (os.getenv("HOME") or "") .. "/.local/state/lifecycle-job/runs"
end

-- The scratch buffer the server's log lines (a run's log among them) go to.
local function log_buffer()
  local bufnr = vim.fn.bufnr("lifecycle-job://log")
  if bufnr == -1 then
    bufnr = vim.api.nvim_create_buf(true, true)
    vim.api.nvim_buf_set_name(bufnr, "lifecycle-job://log")
    vim.bo[bufnr].bufhidden = "hide"
  end
  return bufnr
end

local function append_log(_, params)
  if type(params) ~= "table" or (params.type or 4) > 3 then return end
  vim.schedule(function()
    local bufnr = log_buffer()
    local lines = vim.split(params.message or "", "\n", { plain = true })
    local count = vim.api.nvim_buf_line_count(bufnr)
    local empty = count == 1 and vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] == ""
    vim.api.nvim_buf_set_lines(bufnr, empty and 0 or count, -1, false, lines)
    for _, window in ipairs(vim.fn.win_findbuf(bufnr)) do
      vim.api.nvim_win_set_cursor(window, { vim.api.nvim_buf_line_count(bufnr), 0 })
    end
  end)
end

-- Shows the log buffer at the bottom, leaving the cursor where it is.
function M.show_log()
  local bufnr = log_buffer()
  if #vim.fn.win_findbuf(bufnr) > 0 then return end
  local current = vim.api.nvim_get_current_win()
  vim.cmd("botright 8split")
  vim.api.nvim_win_set_buf(0, bufnr)
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(bufnr), 0 })
  vim.api.nvim_set_current_win(current)
end

-- `lifecycle-job.runEvent` from a lens or a code action: sent to the server, whose answer comes
-- at once (the run goes on in the background); a refusal is shown, the log file remembered.
local function run_command(command, context)
  local client = vim.lsp.get_client_by_id(context.client_id)
  if not client then return end
  local params = { command = command.command, arguments = command.arguments }
  call(client, "request", "workspace/executeCommand", params, function(err, result)
    if err then
      notify(err.message, vim.log.levels.ERROR)
    elseif type(result) == "table" and result.logFile then
      M.last_log = result.logFile
      if M.config.show_log and command.command == "lifecycle-job.runEvent" then vim.schedule(M.show_log) end
    end
  end, context.bufnr)
end

M.commands = { ["lifecycle-job.runEvent"] = run_command }

local function refresh_lenses(bufnr)
  if vim.lsp.codelens.refresh and vim.api.nvim_buf_is_valid(bufnr) then
    if vim.fn.has("nvim-0.10") == 1 then
      vim.lsp.codelens.refresh({ bufnr = bufnr })
    elseif bufnr == vim.api.nvim_get_current_buf() then
      vim.lsp.codelens.refresh()
    end
  end
end

-- What every buffer the server serves gets: omnifunc (<C-x><C-o>) and self-refreshing lenses.
function M.on_attach(client, bufnr)
  if vim.bo[bufnr].omnifunc == "" then vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc" end
  -- 0.11+: an item accepted with <C-y> expands its snippet (`TF_VAR_x: $0` keeps the space after
  -- the colon, which Neovim's plain-text word would drop), and a single item shows a menu to
  -- accept it from, in the buffers this server serves only.
  if vim.lsp.completion and vim.lsp.completion.enable and M.config.completion then
    vim.lsp.completion.enable(true, client.id, bufnr, { autotrigger = false })
    local options = vim.bo[bufnr].completeopt ~= "" and vim.bo[bufnr].completeopt or vim.o.completeopt
    if not options:find("menuone", 1, true) then vim.bo[bufnr].completeopt = options .. ",menuone" end
  end
  if M.config.codelens and client.server_capabilities.codeLensProvider then
    local group = vim.api.nvim_create_augroup("lifecycle-job-lenses-" .. bufnr, { clear = true })
    vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost", "CursorHold" }, {
      group = group,
      buffer = bufnr,
      callback = function() refresh_lenses(bufnr) end,
    })
    refresh_lenses(bufnr)
  end
end

-- Neovim 0.7 neither sends the settings by itself nor advertises workspace/configuration: send
-- them once the server is up, on every version.
function M.on_init(client)
  call(client, "notify", "workspace/didChangeConfiguration", { settings = client.config.settings or {} })
end

-- The client configuration, for vim.lsp.start, vim.lsp.start_client or vim.lsp.config.
function M.client_config(root)
  return {
    name = "lifecycle-job",
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = root and { { uri = vim.uri_from_fname(root), name = root } } or nil,
    init_options = M.config.init_options,
    settings = { ["lifecycle-job"] = M.config.settings },
    commands = M.commands,
    on_init = M.on_init,
    on_attach = M.on_attach,
    handlers = { ["window/logMessage"] = append_log },
  }
end

local clients = {} -- root -> client id, for Neovim 0.7

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or not M.handles(path) then return nil end
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    notify("`" .. M.config.cmd[1] .. "` is not an executable on PATH: install it or set `cmd` in setup()",
      vim.log.levels.ERROR)
    return nil
  end
  local root = M.root_of(path)
  local config = M.client_config(root)
  if vim.fn.has("nvim-0.8") == 1 then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
  return id
end

-- The running lifecycle-job clients: named by setup() or by vim.lsp.enable("lifecycle_job").
local function our_clients()
  local found = {}
  for _, client in pairs(get_clients()) do
    if client.name == "lifecycle-job" or client.name == "lifecycle_job" then table.insert(found, client) end
  end
  return found
end
M.clients = our_clients

-- The `lifecycle-job` settings in force: a running client's, else setup()'s.
function M.settings()
  for _, client in ipairs(our_clients()) do
    local settings = (client.config.settings or {})["lifecycle-job"]
    if settings then return settings end
  end
  return M.config.settings or {}
end

-- Stops the servers and starts them again for every buffer they served.
function M.restart()
  local stopping = our_clients()
  for _, client in ipairs(stopping) do call(client, "stop") end
  clients = {}
  local function start_when_stopped(tries)
    for _, client in ipairs(stopping) do
      if not call(client, "is_stopped") and tries > 0 then
        vim.defer_fn(function() start_when_stopped(tries - 1) end, 100)
        return
      end
    end
    for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(bufnr) then M.attach(bufnr) end
    end
    notify("restarted")
  end
  start_when_stopped(50)
end

-- Opens the log of the last run (from this Neovim, else the newest in the log folder).
function M.open_log()
  local path = M.last_log
  if not path then
    local newest, newest_time = nil, -1
    for _, file in ipairs(vim.fn.glob(M.log_folder() .. "/*.log", false, true)) do
      local time = vim.fn.getftime(file)
      if time > newest_time then newest, newest_time = file, time end
    end
    path = newest
  end
  if not path then
    notify("no run yet (logs are kept in " .. M.log_folder() .. ")", vim.log.levels.WARN)
    return
  end
  vim.cmd("split " .. vim.fn.fnameescape(path))
  vim.bo.autoread = true
end

-- Runs `event` of the spec in the current buffer (default: the lens on the cursor's line).
function M.run(event)
  if not event or event == "" then
    vim.lsp.codelens.run()
    return
  end
  local bufnr = vim.api.nvim_get_current_buf()
  for _, client in ipairs(our_clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      run_command({ command = "lifecycle-job.runEvent", arguments = { vim.uri_from_bufnr(bufnr), event } },
        { client_id = client.id, bufnr = bufnr })
      return
    end
  end
  notify("this buffer is not a job spec served by lifecycle-job", vim.log.levels.WARN)
end

function M.stop(event)
  local bufnr = vim.api.nvim_get_current_buf()
  for _, client in ipairs(our_clients()) do
    if vim.lsp.buf_is_attached(bufnr, client.id) then
      call(client, "request", "workspace/executeCommand", {
        command = "lifecycle-job.stopRun", arguments = { vim.uri_from_bufnr(bufnr), event or "start" },
      }, function(err) if err then notify(err.message, vim.log.levels.WARN) end end, bufnr)
    end
  end
end

local function events_complete() return { "start", "stop", "delete" } end

-- A saved file the server does not serve (a `.tf`, a script) still changes what it knows of a
-- job. Neovim watches files for servers only on macOS and Windows: elsewhere, tell it on save.
function M.notify_saved(path)
  if path == "" then return end
  local absolute = vim.fn.fnamemodify(path, ":p")
  local uri = vim.uri_from_fname(absolute)
  for _, client in ipairs(our_clients()) do
    local root = client.config.root_dir
    local watched = vim.tbl_get(client, "dynamic_capabilities", "capabilities", "workspace/didChangeWatchedFiles")
    if root and absolute:sub(1, #root + 1) == root .. "/" and not watched
      and not vim.lsp.buf_is_attached(vim.fn.bufnr(absolute), client.id) then
      call(client, "notify", "workspace/didChangeWatchedFiles", { changes = { { uri = uri, type = 2 } } })
    end
  end
end

-- :LifecycleJobRun, :LifecycleJobStop, :LifecycleJobLog, :LifecycleJobRestart, and the
-- notice of saved files.
local function create_notices()
  local group = vim.api.nvim_create_augroup("lifecycle-job-saved", { clear = true })
  vim.api.nvim_create_autocmd("BufWritePost", {
    group = group,
    callback = function(args) M.notify_saved(vim.api.nvim_buf_get_name(args.buf)) end,
  })
end
function M.create_commands()
  create_notices()
  vim.api.nvim_create_user_command("LifecycleJobRun", function(args) M.run(args.args) end,
    { nargs = "?", complete = events_complete, desc = "Run an event of this job (default: the lens on this line)" })
  vim.api.nvim_create_user_command("LifecycleJobStop", function(args) M.stop(args.args) end,
    { nargs = "?", complete = events_complete, desc = "Stop the run of an event of this job" })
  vim.api.nvim_create_user_command("LifecycleJobLog", M.open_log, { desc = "Open the last run's log" })
  vim.api.nvim_create_user_command("LifecycleJobRestart", M.restart, { desc = "Restart lifecycle-job lsp" })
end

function M.setup(options)
  M.config = vim.tbl_deep_extend("force", M.config, options or {})
  M.create_commands()
  local group = vim.api.nvim_create_augroup("lifecycle-job", { clear = true })
  vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
    group = group,
    callback = function(args) M.attach(args.buf) end,
  })
  -- Buffers already open when setup runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then M.attach(bufnr) end
  end
end

return M

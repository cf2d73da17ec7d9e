-- lifecycle-job for Neovim: starts `lifecycle-job lsp` for job specs and Dockerfiles.
-- Works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client) and 0.8+ (vim.lsp.start).
local M = {}

M.config = {
  -- The server command; `lifecycle-job` must be on PATH, or give its full path.
  cmd = { "lifecycle-job", "lsp" },
  -- Sent as `workspace/configuration` for the `lifecycle-job` section, e.g.
  -- { severity = { ["secret-in-plain-text"] = "off" } }.
  settings = {},
  -- Passed as `initializationOptions`.
  init_options = {},
}

-- File names the server understands (Lua patterns on the file's name).
M.patterns = {
  "^lifecycle%-job%.ya?ml$", "%.lifecycle%-job%.ya?ml$", "^lifecycle%-job%.json$",
  "^[Dd]ockerfile$", "%.[Dd]ockerfile$", "^[Dd]ockerfile%..+$", "^qovery%-output%.json$",
}

local function handles(path)
  local name = vim.fn.fnamemodify(path, ":t")
  for _, pattern in ipairs(M.patterns) do
    if name:match(pattern) then return true end
  end
  return false
end

-- The repository holding `path` (its nearest `.git`), else the file's folder.
local function root_of(path)
  local folder = vim.fn.fnamemodify(path, ":p:h")
  local git = vim.fn.finddir(".git", folder .. ";")
  if git == "" then git = vim.fn.findfile(".git", folder .. ";") end
  if git ~= "" then return vim.fn.fnamemodify(git, ":p:h:h") end
  return folder
end

local clients = {} -- root -> client id, for Neovim 0.7

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or not handles(path) then return nil end
  local root = root_of(path)
  local settings = { ["lifecycle-job"] = M.config.settings }
  local config = {
    name = "lifecycle-job",
    cmd = M.config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = M.config.init_options,
    settings = settings,
    handlers = {
      ["workspace/configuration"] = function(_, params)
        local result = {}
        for _, item in ipairs(params.items or {}) do
          table.insert(result, item.section and settings[item.section] or settings)
        end
        return result
      end,
    },
  }
  if vim.lsp.start then
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

function M.setup(options)
  M.config = vim.tbl_deep_extend("force", M.config, options or {})
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

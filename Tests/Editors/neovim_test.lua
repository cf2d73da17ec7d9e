-- Headless Neovim 0.7+ driving the plugin of editors/neovim against the real server.
-- Environment: LJ_BIN (the executable), LJ_PLUGIN (editors/neovim), LJ_JOB (a job folder),
-- LJ_OUT (where to write one result per line). Run:
--   nvim --headless -u NONE -c 'luafile Tests/Editors/neovim_test.lua'
local lines = {}
local function emit(line) table.insert(lines, line) end

local function finish()
  local file = io.open(os.getenv("LJ_OUT"), "w")
  file:write(table.concat(lines, "\n") .. "\n")
  file:close()
  vim.cmd("qall!")
end

local ok, failure = pcall(function()
  vim.opt.runtimepath:append(os.getenv("LJ_PLUGIN"))
  require("lifecycle-job").setup({
    cmd = { os.getenv("LJ_BIN"), "lsp" },
    init_options = { diagnosticsDelayMilliseconds = 0 },
  })
  vim.cmd("edit " .. os.getenv("LJ_JOB") .. "/lifecycle-job.yaml")
  local bufnr = vim.api.nvim_get_current_buf()
  vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20)
  emit("clients " .. #vim.tbl_keys(vim.lsp.buf_get_clients(bufnr)))
  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, diagnostic in ipairs(diagnostics) do
    local code = diagnostic.code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code)
    emit(string.format("diagnostic %s %d:%d-%d:%d", tostring(code), diagnostic.lnum, diagnostic.col,
      diagnostic.end_lnum, diagnostic.end_col))
  end

  local uri = vim.uri_from_bufnr(bufnr)
  local function request(method, line, character)
    local params = { textDocument = { uri = uri }, position = { line = line, character = character } }
    local responses = vim.lsp.buf_request_sync(bufnr, method, params, 10000) or {}
    for _, response in pairs(responses) do
      if response.error then emit("error " .. method .. " " .. response.error.message) end
      if response.result then return response.result end
    end
    return nil
  end

  local completion = request("textDocument/completion", 7, 2)
  for _, item in ipairs((completion and (completion.items or completion)) or {}) do
    emit("completion " .. item.label .. " | " .. (item.detail or ""))
  end

  local hover = request("textDocument/hover", 3, 62)
  if hover then emit("hover " .. hover.contents.value:gsub("\n", "\\n")) end
end)

if not ok then emit("failure " .. tostring(failure)) end
finish()

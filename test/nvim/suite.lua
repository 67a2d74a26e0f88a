-- The Neovim suite: drives Clockwork's language server through Neovim's own LSP client (the
-- configuration of init.lua) and writes what it saw as JSON to $CLOCKWORK_NVIM_OUT, which
-- test/nvim/nvim.test.ts checks. Each step records its figures or its error and the suite
-- goes on, so one failure does not hide the others.
local project = assert(os.getenv('CLOCKWORK_NVIM_PROJECT'), 'CLOCKWORK_NVIM_PROJECT')
local out_file = assert(os.getenv('CLOCKWORK_NVIM_OUT'), 'CLOCKWORK_NVIM_OUT')
local runs = os.getenv('CLOCKWORK_NVIM_RUNS') == '1'
local TIMEOUT = 20000
local out = { steps = {} }

local function step(name, fn)
  local ok, result = pcall(fn)
  out.steps[#out.steps + 1] = name
  out[name] = ok and (result or {}) or { error = tostring(result) }
end

local function wait(what, condition, timeout)
  if not vim.wait(timeout or TIMEOUT, condition, 20) then error('timed out waiting for ' .. what) end
end

-- Messages and progress the server sends, as a user would see them.
local messages, progress = {}, {}
local show = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  messages[#messages + 1] = { type = result.type, message = result.message }
  return show(err, result, ctx, config)
end
local on_progress = vim.lsp.handlers['$/progress']
vim.lsp.handlers['$/progress'] = function(err, result, ctx, config)
  local value = result.value or {}
  progress[#progress + 1] = { kind = value.kind, title = value.title, message = value.message, percentage = value.percentage }
  return on_progress(err, result, ctx, config)
end
-- The code action picker: take the action a test names (Neovim applies it itself).
local wanted_action
vim.ui.select = function(items, opts, on_choice)
  for _, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    if wanted_action == nil or title == wanted_action then return on_choice(item) end
  end
  on_choice(nil)
end

local file = project .. '/clockwork.ts'
local started = vim.loop.hrtime()
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client
local exit_code

local function line_of(needle)
  for index, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if text:find(needle, 1, true) then return index - 1, text end
  end
  error('no line with ' .. needle)
end

local function clockwork_diagnostics()
  local result = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'clockwork' then
      local text = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] or ''
      result[#result + 1] = { line = d.lnum, col = d.col, end_col = d.end_col, code = d.code, message = d.message, covered = text:sub(d.col + 1, d.end_col) }
    end
  end
  table.sort(result, function(a, b) return a.line < b.line or (a.line == b.line and a.col < b.col) end)
  return result
end

step('attach', function()
  wait('the client', function() return #vim.lsp.buf_get_clients(bufnr) > 0 end)
  client = vim.lsp.buf_get_clients(bufnr)[next(vim.lsp.buf_get_clients(bufnr))]
  wait('initialize', function() return client.initialized end)
  local caps = client.server_capabilities or {}
  return { name = client.name, executeCommands = caps.executeCommandProvider and caps.executeCommandProvider.commands or vim.NIL }
end)

step('diagnostics', function()
  wait('diagnostics', function() return #clockwork_diagnostics() > 0 end)
  return { ms = (vim.loop.hrtime() - started) / 1e6, items = clockwork_diagnostics() }
end)

step('completion', function()
  -- After the first assertion's comma: where a new element goes.
  local line, text = line_of('new FileExistsAssert')
  vim.api.nvim_win_set_cursor(0, { line + 1, #text })
  local params = vim.lsp.util.make_position_params()
  local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, TIMEOUT)
  local result = response[client.id].result
  local items = result.items or result
  local chosen
  for _, item in ipairs(items) do
    if item.label == 'FileSizeAssert' then chosen = item end
  end
  -- Neovim inserts the item as its completion would: the text edit and the additional edits.
  local edits = { chosen.textEdit }
  for _, edit in ipairs(chosen.additionalTextEdits or {}) do edits[#edits + 1] = edit end
  vim.lsp.util.apply_text_edits(edits, bufnr, client.offset_encoding)
  local formats = {}
  for _, item in ipairs(items) do formats[#formats + 1] = item.insertTextFormat or 1 end
  local inserted_line, inserted = line_of('new FileSizeAssert')
  return { count = #items, formats = formats, newText = chosen.textEdit.newText, line = inserted, import = vim.api.nvim_buf_get_lines(bufnr, 1, 2, false)[1] }
end)

step('hover', function()
  local line, text = line_of('new FileResource')
  vim.api.nvim_win_set_cursor(0, { line + 1, (text:find('FileResource', 1, true)) })
  local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', vim.lsp.util.make_position_params(), TIMEOUT)
  return { value = response[client.id].result.contents.value }
end)

step('outline', function()
  local response = vim.lsp.buf_request_sync(bufnr, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params() }, TIMEOUT)
  local names = {}
  for _, symbol in ipairs(response[client.id].result) do
    local children = {}
    for _, child in ipairs(symbol.children or {}) do children[#children + 1] = child.name end
    names[#names + 1] = { name = symbol.name, children = children }
  end
  return { symbols = names }
end)

step('quickfix', function()
  -- The completion above changed the text: wait for its diagnostics first.
  wait('fresh diagnostics', function()
    for _, d in ipairs(clockwork_diagnostics()) do
      if d.message:find('^mode:') then return true end
    end
    return false
  end)
  local line = line_of('mode: "rw-r--r--"')
  vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
  wanted_action = 'Change to "644"'
  vim.lsp.buf.code_action()
  wait('the quick fix', function() return select(2, line_of('mode: ')):find('644', 1, true) ~= nil end)
  wanted_action = nil
  local _, fixed = line_of('mode: ')
  -- And the rename the typo's diagnostic offers.
  vim.api.nvim_win_set_cursor(0, { line_of('descriptoin') + 1, 0 })
  wanted_action = 'Change to "description"'
  vim.lsp.buf.code_action()
  wait('the rename', function() return pcall(line_of, 'description: "A greeting"') end)
  wanted_action = nil
  wait('the diagnostics to clear', function() return #clockwork_diagnostics() == 0 end)
  return { line = fixed, renamed = select(2, line_of('description: ')), remaining = clockwork_diagnostics() }
end)

if runs then
  local function lens_command(title_pattern, resource_line)
    vim.lsp.codelens.refresh()
    wait('CodeLens', function()
      for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
        if lens.command and lens.range.start.line == resource_line and lens.command.title:find(title_pattern) then return true end
      end
      return false
    end)
  end

  local function run_lens(title)
    local line = line_of('new FileResource')
    lens_command('^' .. title .. '$', line)
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    local before = #messages
    wanted_action = title
    vim.lsp.codelens.run()
    wait(title .. "'s outcome", function() return #messages > before end, 120000)
    wanted_action = nil
    local said = {}
    for index = before + 1, #messages do said[#said + 1] = messages[index] end
    return said
  end

  step('apply', function()
    vim.cmd('write')
    local said = run_lens('Apply')
    local deployed = io.open(project .. '/scratch/hello.txt', 'r')
    local content = deployed and deployed:read('*a') or vim.NIL
    if deployed then deployed:close() end
    return { messages = said, progress = progress, content = content }
  end)

  step('assert', function()
    progress = {}
    local said = run_lens('Assert')
    wait('assertion diagnostics', function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.source == 'clockwork assert' then return true end
      end
      return false
    end)
    local failed = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.source == 'clockwork assert' then
        failed[#failed + 1] = { line = d.lnum, message = d.message, text = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] }
      end
    end
    return { messages = said, progress = progress, failed = failed }
  end)

  step('destroy', function()
    local said = run_lens('Destroy')
    -- What was destroyed has no results any more: its failed assertions go.
    wait('assertion diagnostics to clear', function()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        if d.source == 'clockwork assert' then return false end
      end
      return true
    end)
    return { messages = said }
  end)
end

step('shutdown', function()
  local id = client.id
  local config_exit = client.config.on_exit
  client.config.on_exit = function(code, signal, client_id)
    exit_code = code
    if config_exit then config_exit(code, signal, client_id) end
  end
  vim.lsp.stop_client(id)
  wait('the server to exit', function() return exit_code ~= nil end)
  return { exitCode = exit_code, stopped = vim.lsp.client_is_stopped(id) }
end)

local handle = assert(io.open(out_file, 'w'))
handle:write(vim.fn.json_encode(out))
handle:close()
vim.cmd('qall!')

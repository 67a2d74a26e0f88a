-- Clockwork's language server in Neovim 0.7+ (its built-in LSP client): the configuration the
-- README's "Other editors" section shows, used as it is by the Neovim suite (test/nvim/).
-- Set CLOCKWORK_SERVER to the server's path, or put clockwork-language-server on PATH.
local server = os.getenv('CLOCKWORK_SERVER')
local cmd = server and { 'node', server, '--stdio' } or { 'clockwork-language-server', '--stdio' }
local clients = {}

vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  pattern = { 'clockwork.ts', '*.clockwork.ts' },
  callback = function(args)
    local root = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
    if not clients[root] or vim.lsp.client_is_stopped(clients[root]) then
      clients[root] = vim.lsp.start_client({
        name = 'clockwork',
        cmd = cmd,
        root_dir = root,
        -- Apply, Assert and Destroy run clockwork.ts, which executes code from the project:
        -- they are off until you say you trust it (like VS Code's Restricted Mode).
        init_options = { clockwork = { trusted = true } },
      })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})

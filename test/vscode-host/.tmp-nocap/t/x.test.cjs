const vscode = require('vscode');
it('probe', async () => {
  await new Promise(r => setTimeout(r, 4000));
  const ext = vscode.extensions.getExtension('clockwork-dev.clockwork-harness-sample');
  console.log('isTrusted', vscode.workspace.isTrusted, 'getExtension', !!ext, 'isActive', ext?.isActive);
  if (ext) { try { await ext.activate(); console.log('activate() ok'); } catch (e) { console.log('activate() failed', e.message); } }
});

// Sample workspace for test/vscode-host: its presence activates the sample extension.
export const web = { name: 'web', port: 8080 }; // TODO: pick a real port

// Starts `dasklint server` (the language server of the `dasklint` Python package) for
// Python files. Diagnostics, quick fixes, hovers and `source.fixAll.dasklint` come from
// the server; the extension only starts it and hands it the `dasklint.*` settings (the
// server asks for them with workspace/configuration and is told when they change).
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SECTION = "dasklint";
const COMMAND_SETTING = `${SECTION}.serverCommand`;
const DEFAULT_COMMAND = ["dasklint", "server"];

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string[]>("serverCommand");
  const [command, ...args] = configured && configured.length > 0 ? configured : DEFAULT_COMMAND;
  return { command, args, transport: TransportKind.stdio };
}

async function start(): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "python" }],
    synchronize: { configurationSection: SECTION },
  };
  client = new LanguageClient(SECTION, "dasklint", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    void vscode.window.showErrorMessage(
      `dasklint: cannot start the language server (${String(error)}). Install it with ` +
        "`pip install 'dasklint[lsp]'`, or set `dasklint.serverCommand`.",
    );
  }
}

async function restart(): Promise<void> {
  await client?.stop();
  client = undefined;
  await start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("dasklint.restart", restart),
    // Other settings reach the running server; a new command needs a new server.
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(COMMAND_SETTING)) {
        await restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/**
 * Messages and modal questions, behind one replaceable object: the real-VS-Code tests swap
 * `ask` for a scripted answer (modal dialogs cannot be clicked there) and read `shown`.
 */
import * as vscode from 'vscode';

/** A message the extension showed, for tests. */
export interface ShownMessage {
  severity: 'info' | 'warning' | 'error' | 'modal';
  message: string;
  items: string[];
  /** The modal's detail text (modal questions only). */
  detail?: string;
}

/** Notifications and modal questions. */
export class Ui {
  /** Every message shown since activation (tests read it). */
  readonly shown: ShownMessage[] = [];

  /**
   * Asks a modal question; resolves to the chosen item or undefined (Cancel). Tests replace
   * this function with one that answers without a dialog.
   */
  ask: (message: string, detail: string, ...items: string[]) => Promise<string | undefined> = async (message, detail, ...items) =>
    vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);

  /** Records and shows a modal question through `ask`. */
  async confirm(message: string, detail: string, ...items: string[]): Promise<string | undefined> {
    this.shown.push({ severity: 'modal', message, items, detail });
    return this.ask(message, detail, ...items);
  }

  /** Shows a notification; `onChoice` runs when the user picks an item. Never waits for the user. */
  notify(severity: 'info' | 'warning' | 'error', message: string, items: string[] = [], onChoice?: (item: string) => void): void {
    this.shown.push({ severity, message, items });
    const show =
      severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(show(message, ...items)).then((choice) => {
      if (choice && onChoice) onChoice(choice);
    });
  }
}

// Imported second by extension.ts (after startTime.ts): when VS Code's API object for this
// extension exists. VS Code builds it on the first require('vscode'); the activation line in the
// log reports that part of module evaluation separately (it is the same for every extension).
import vscode = require('vscode');

export const vscodeLoaded = vscode ? performance.now() : 0;

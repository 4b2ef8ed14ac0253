import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const INDEX_FILES = ['index.ts', 'index.tsx'];

function indexOf(folder) {
  return INDEX_FILES.map((name) => join(folder, name)).find((file) => existsSync(file)) ?? null;
}

/** `./a/b.js` → the source file it names (`.js` in specifiers stands for `.ts`/`.tsx`). */
function sourceOf(specifier, fromFile) {
  const target = resolve(dirname(fromFile), specifier);
  const stem = target.replace(/\.js$/, '');
  return ['.ts', '.tsx', ''].map((ext) => stem + ext).find((file) => existsSync(file)) ?? target;
}

/**
 * A folder with an index.ts shows its public surface there: code outside the folder imports
 * the index, never a file behind it. Walking from the importer's folder to the target, the first
 * folder entered that has an index is where the import must stop.
 */
export const folderIndex = {
  meta: {
    type: 'problem',
    docs: { description: 'Import another folder only through its index.ts' },
    schema: [
      {
        type: 'object',
        properties: { allow: { type: 'array', items: { type: 'string' } } },
        additionalProperties: false,
      },
    ],
    messages: {
      deep: "'{{specifier}}' reaches past {{index}}: import from the folder's index instead",
    },
  },
  create(context) {
    const root = context.cwd;
    const allowed = new Set((context.options[0]?.allow ?? []).map((file) => resolve(root, file)));
    const importer = context.filename;
    function check(node) {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = sourceOf(specifier, importer);
      if (allowed.has(target)) return;
      const steps = relative(dirname(importer), dirname(target)).split(sep);
      let folder = dirname(importer);
      for (const step of steps) {
        folder = join(folder, step);
        if (step === '' || step === '..') continue;
        const index = indexOf(folder);
        if (!index) continue;
        if (index !== target) {
          context.report({
            node: node.source,
            messageId: 'deep',
            data: { specifier, index: relative(root, index) },
          });
        }
        return;
      }
    }
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'folder-index': folderIndex } };

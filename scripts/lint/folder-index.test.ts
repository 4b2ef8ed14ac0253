import { resolve } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { folderIndex } from './folder-index.js';

RuleTester.describe = describe;
RuleTester.it = it;

const root = resolve(import.meta.dirname, '../..');
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const at = (file: string) => resolve(root, file);

tester.run('folder-index', folderIndex, {
  valid: [
    { filename: at('server/app.ts'), code: "import { x } from './store/index.js';" },
    { filename: at('server/store/sqlite.ts'), code: "import { x } from './migrations.js';" },
    {
      filename: at('widget/panel/chat.ts'),
      code: "import { x } from '../../protocol/constants.js';",
      options: [{ allow: ['protocol/constants.ts'] }],
    },
    { filename: at('server/app.ts'), code: "import express from 'express';" },
  ],
  invalid: [
    {
      filename: at('server/app.ts'),
      code: "import { x } from './store/migrations.js';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('test/integration/messages.test.ts'),
      code: "export { x } from '../../server/store/sqlite.js';",
      errors: [{ messageId: 'deep' }],
    },
    {
      filename: at('agent/App.tsx'),
      code: "const m = import('../protocol/events.js');",
      errors: [{ messageId: 'deep' }],
    },
  ],
});

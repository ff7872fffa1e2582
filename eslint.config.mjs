// ESLint (flat config): typescript-eslint's recommended rules, and the doors between the rooms of docs/design.md
// as import rules, so that the structure is checked by `npm test` rather than by review. Formatting is prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const OURS = ['shared', 'protocol', 'connector', 'extension', 'test', 'bench', 'scripts'];
const except = (room) => OURS.filter((r) => r !== room);

/** The doors (docs/design.md, "Rules of the house"): which room may import which. */
const zones = [
  { target: 'shared', from: except('shared'), message: 'shared/ is a leaf: it imports nothing of ours.' },
  { target: 'protocol', from: except('protocol'), message: 'protocol/ is a leaf: it imports nothing of ours.' },
  {
    target: 'connector/directory',
    from: ['connector', 'extension', 'test', 'bench', 'scripts'],
    except: ['./directory'],
    message: 'The directory engine uses only shared/ and protocol/.',
  },
  {
    target: ['shared/**', 'protocol/**', 'connector/*.ts', 'extension/**'],
    from: 'connector/directory',
    except: ['./index.ts'],
    message: 'Other rooms use the directory engine through connector/directory/index.ts.',
  },
  {
    target: 'connector',
    from: ['extension', 'test', 'bench', 'scripts'],
    message: 'The connector never imports the extension.',
  },
  { target: 'extension/hub', from: 'connector', message: 'The hub uses shared/ and protocol/, never the connector.' },
  {
    target: 'extension/hub',
    from: 'extension',
    except: ['./hub'],
    message: 'The hub is plain Node and never imports the extension UI.',
  },
  {
    target: 'extension/webview',
    from: ['shared', 'protocol', 'connector', 'extension'],
    except: ['./webview'],
    message: 'The webview runs in the browser: it talks to its host only through webview/messages.ts.',
  },
  {
    target: 'extension',
    from: 'connector',
    except: ['./directory/index.ts'],
    message: 'The extension uses the connector only through the directory engine (connector/directory/index.ts).',
  },
  { target: except('test'), from: 'test', message: 'Production code never imports the tests.' },
];

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'vscode',
          message: '`vscode` is imported only in extension/ outside extension/hub/ and extension/webview/.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'dist-vsix/**',
      '.playground/**',
      '.vscode-host/**',
      'test-results/**',
      'bench/tmp/**',
      'scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-unused-expressions': ['error', { allowTernary: true, allowShortCircuit: true }],
      // an async generator passed as a callback cannot be an arrow function, so it reaches the instance as `self`
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
  {
    rules: {
      // the code that refuses or escapes control characters (usernames, LDIF, CSV) has to name them
      'no-control-regex': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // tests read the JSON that real processes answer and assert on it field by field
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    files: [
      'shared/**/*.ts',
      'protocol/**/*.ts',
      'connector/**/*.ts',
      'extension/hub/**/*.ts',
      'extension/webview/**/*.ts',
    ],
    rules: noVscode,
  },
  {
    files: ['extension/webview/**/*.ts'],
    rules: { 'import-x/no-nodejs-modules': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'module' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

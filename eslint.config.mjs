import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      '.data/',
      'openapi.json',
      '*.js',
      '*.mjs',
      'scripts/',
      'bench/*.js',
      'bench/tmp/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/platform-fastify',
              importNames: ['RouteConfig'],
              message:
                'Use RouteConfigEntries (src/common/http/route-config.ts): RouteConfig replaces the route config other decorators set.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through src/config/config.ts (the only place that reads process.env).',
        },
      ],
    },
  },
  {
    files: [
      'src/config/config.ts',
      'src/database/embedded-postgres.ts',
      'test/**/*.ts',
      'src/database/cli-data-source.ts',
      'src/scripts/**/*.ts',
      'bench/**/*.ts',
      'verify/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'verify/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
